/** The settings window: one instance, shown on demand, hidden (not destroyed) when closed. */
import { BrowserWindow } from 'electron';
import { denyAllPermissions, limitNavigation } from './window-security.js';

export interface SettingsWindowOptions {
  readonly preloadPath: string;
  /** Where the renderer lives: app://renderer/index.html, or the Vite dev server in `npm run dev`. */
  readonly rendererUrl: string;
  readonly isRendererUrl: (url: string) => boolean;
}

export function createSettingsWindowController(options: SettingsWindowOptions) {
  let window: BrowserWindow | null = null;
  let quitting = false;

  function show(): BrowserWindow {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return window;
    }
    const created = new BrowserWindow({
      width: 880,
      height: 640,
      minWidth: 640,
      minHeight: 480,
      show: false,
      title: 'Data2CRM Tray',
      autoHideMenuBar: true,
      // Spelled out here, not built by a helper, so the security scanner can verify each flag.
      webPreferences: {
        preload: options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        disableBlinkFeatures: 'Auxclick',
        spellcheck: false,
      },
    });
    denyAllPermissions(created.webContents.session);
    limitNavigation(created.webContents, options.isRendererUrl);
    created.once('ready-to-show', () => created.show());
    // Closing hides: the app lives in the tray and quits only from there.
    created.on('close', (event) => {
      if (!quitting) {
        event.preventDefault();
        created.hide();
      }
    });
    created.on('closed', () => {
      window = null;
    });
    void created.loadURL(`${options.rendererUrl}#/settings`);
    window = created;
    return created;
  }

  return {
    show,
    prepareToQuit: () => {
      quitting = true;
    },
  };
}
