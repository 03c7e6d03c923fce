/**
 * What the running app must do, one title each: the shell tier (test/shell, under the Electron
 * stand-in, on every machine) and the Electron e2e spec (test/e2e, the real binary, its referee
 * where the binary exists) name their tests from this list, so both say the same thing.
 */
export const SCENARIOS = {
  firstStart: 'a first start (nothing connected) opens the settings window with the version, next to the tray icon',
  quitFromWindow: 'Quit in the settings window ends the app, as the tray item does',
  secondInstance: 'a second start hands over to the running instance, which shows its settings',
  otherInstanceRunning: 'while another instance runs, a new start quits without a tray or window',
  trayActions: 'the tray shows each connection and every tray action does its job',
  strictWindows: 'settings and the connection dialog open with the strict webPreferences, stay on their pages and deny permissions',
  appProtocol: 'app:// serves the built renderer, under its CSP, and nothing outside it',
  everyIpcChannel: 'every IPC channel works through the real preload and bridge, and events reach the window',
  connectAppWindow: 'connects an org through the sandbox sign-in in the app window',
  connectSystemBrowser: 'connects an org through the system browser and the loopback page',
  signInClosed: 'closing the sign-in window cancels the connect and keeps nothing',
  notificationClick: 'a connection that needs the user notifies once; clicking the notification opens its dialog',
  keyRejectedNotice: 'a rejected user key shows its own tray icon and one notification; clicking it opens Settings → Account',
  resumeReplans: 'after sleep (resume) and unlock, overdue connections are checked at once',
  settingsReset: 'an unreadable settings file is set aside and the user is told',
  quitStops: 'Quit stops keep-alive, closes the windows and destroys the tray',
  encryptedFileFallback: 'without a keychain, secrets go to a safeStorage-encrypted file',
  loginItem: 'Start at login writes and removes the autostart entry',
  endpointDialog: 'a new service address is used only after the native dialog naming its host says yes',
  trayTimesLive: 'the tray labels\' relative times change on the minute by one timer, and no timer runs when nothing relative is shown',
  groupedNotificationClick: 'a grouped notification for several connections opens the view of all of them',
  pauseHourResumes: 'Pause for 1 hour resumes by itself an hour later, tray icon and rows back',
  diagnosticsExport: 'Export diagnostics saves where the user chose in the save dialog',
  helpPage: 'Help opens the user\'s help page, shipped beside the app, not the developer README',
  trayFixes: 'the tray offers the fix for each trouble: Replace user key… for a rejected key, Register again… for a deleted application; long names are shortened',
} as const;
