/**
 * The app's own windows (settings, and one re-authorize / update dialog per connection): one
 * instance each, shown on demand, hidden (not destroyed) when closed unless the app quits.
 */
import { BrowserWindow } from 'electron';
import { denyAllPermissions, limitNavigation } from './window-security.js';

export interface AppWindowOptions {
  readonly preloadPath: string;
  /** Where the renderer lives: app://renderer/index.html, or the Vite dev server in `npm run dev`. */
  readonly rendererUrl: string;
  readonly isRendererUrl: (url: string) => boolean;
  /** A window became visible: hidden ones were sent nothing, so it needs the whole state now. */
  readonly onShown?: () => void;
}

export function createAppWindows(options: AppWindowOptions) {
  const windows = new Map<string, BrowserWindow>();
  let quitting = false;

  function show(route: string, size: { width: number; height: number; title: string; keepOnClose: boolean }): BrowserWindow {
    const existing = windows.get(route);
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    const created = new BrowserWindow({
      width: size.width,
      height: size.height,
      minWidth: Math.min(size.width, 480),
      minHeight: Math.min(size.height, 360),
      show: false,
      title: size.title,
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
    created.on('show', () => options.onShown?.());
    created.on('restore', () => options.onShown?.());
    // Closing the settings window hides it: the app lives in the tray and quits only from there.
    created.on('close', (event) => {
      if (!quitting && size.keepOnClose) {
        event.preventDefault();
        created.hide();
      }
    });
    created.on('closed', () => windows.delete(route));
    void created.loadURL(`${options.rendererUrl}#${route}`);
    windows.set(route, created);
    return created;
  }

  return {
    /** The settings window, optionally at one section (its hash names it, e.g. #/settings/account). */
    showSettings: (section?: 'account' | 'connect') => {
      const shown = show('/settings', { width: 920, height: 680, title: 'Data2CRM Tray', keepOnClose: true });
      if (section) void shown.loadURL(`${options.rendererUrl}#/settings/${section}`);
    },
    // The page titles itself by the connection's state (a healthy one is not "needing attention").
    showDialog: (connectionId: string) => show(`/dialog/${connectionId}`, { width: 520, height: 560, title: 'Connection', keepOnClose: false }),
    /** Every connection a grouped notification named, in one window. */
    showAttention: () => show('/attention', { width: 560, height: 640, title: 'Connections that need attention', keepOnClose: false }),
    closeFocused: () => BrowserWindow.getFocusedWindow()?.close(),
    prepareToQuit: () => {
      quitting = true;
    },
  };
}
