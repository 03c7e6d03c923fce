/**
 * Launch at login: macOS/Windows login items; on Linux an XDG autostart .desktop file
 * (app.setLoginItemSettings does nothing there).
 */
import { app } from 'electron';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LoginItem } from '../core/ports.js';

function autostartFile(): string {
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'autostart', 'data2crm-tray.desktop');
}

export function createLoginItem(): LoginItem {
  if (process.platform !== 'linux') {
    return { get: () => app.getLoginItemSettings().openAtLogin, set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }) };
  }
  return {
    get: () => existsSync(autostartFile()),
    set(enabled) {
      const file = autostartFile();
      if (!enabled) return rmSync(file, { force: true });
      mkdirSync(join(file, '..'), { recursive: true });
      const exec = process.env['APPIMAGE'] ?? process.execPath;
      writeFileSync(file, `[Desktop Entry]\nType=Application\nName=Data2CRM Tray\nExec="${exec}"\nX-GNOME-Autostart-enabled=true\n`);
    },
  };
}
