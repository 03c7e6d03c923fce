/**
 * Electron's security checklist for every window we open, beyond its webPreferences (which each
 * window spells out literally so the scanner can read them): navigation and window.open denied,
 * permission requests denied.
 */
import type { Session, WebContents } from 'electron';

/** Deny every permission request (camera, notifications from pages, ...): our pages need none. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Keep a window on its own pages: `isAllowedUrl` (a core decision) says which navigations may
 * proceed; nothing ever opens a new window or a webview, and nothing is handed to the OS.
 */
export function limitNavigation(contents: WebContents, isAllowedUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedUrl(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
