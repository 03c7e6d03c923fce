@echo off
rem data2crm-tray: the command line of Data2CRM Tray (Windows). It runs the app's own binary as
rem plain Node (ELECTRON_RUN_AS_NODE=1). Add this folder to PATH; see "Command line" in the README.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Data2CRM Tray.exe" "%~dp0data2crm-tray.cjs" %*
