/**
 * The embedded sign-in window (AuthBrowser). No preload, no Node, sandboxed, its own persistent
 * session per connection (so a later silent re-authorization can reuse the Salesforce sign-in),
 * navigation decided by the core's policy, window.open and permissions denied. The redirect is
 * captured from every navigation event, and the loopback page posts it too, so capture never
 * depends on a single event. Only a redirect the core judged genuine (isRedirect) is captured; a
 * forged one falls to the navigation rule and is blocked, and the sign-in goes on. Each loaded page
 * is reported (status, and an error page's text) so the core can recognise Salesforce's error pages.
 */
import { BrowserWindow, session as electronSession, type Session } from 'electron';
import type { AuthBrowser, AuthBrowserSession } from '../core/ports.js';
import { denyAllPermissions } from './window-security.js';

const partitionFor = (sessionId: string | undefined) => (sessionId ? `persist:auth-${sessionId}` : `auth-${Date.now()}-${Math.random().toString(36).slice(2)}`);

export function createAuthWindowBrowser(decide: (url: string) => 'allow' | 'block'): AuthBrowser {
  return {
    open(url, options): AuthBrowserSession {
      const partition = partitionFor(options.sessionId);
      const window = new BrowserWindow({
        width: 520,
        height: 720,
        show: !options.silent,
        title: 'Sign in to Salesforce',
        autoHideMenuBar: true,
        // Spelled out for the security scanner; no preload: the sign-in page gets no bridge at all.
        webPreferences: {
          partition,
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
      const contents = window.webContents;
      denyAllPermissions(contents.session);
      let settle: (value: { kind: 'redirect'; url: string } | { kind: 'closed' }) => void = () => undefined;
      const outcome = new Promise<{ kind: 'redirect'; url: string } | { kind: 'closed' }>((resolve) => {
        settle = resolve;
      });

      /** True when the navigation must not proceed. */
      const intercept = (target: string): boolean => {
        if (options.isRedirect(target)) {
          settle({ kind: 'redirect', url: target });
          return true;
        }
        return decide(target) === 'block';
      };
      contents.on('will-navigate', (event, target) => {
        if (intercept(target)) event.preventDefault();
      });
      contents.on('will-frame-navigate', (event) => {
        if (event.isMainFrame && intercept(event.url)) event.preventDefault();
        else if (!event.isMainFrame && decide(event.url) === 'block') event.preventDefault();
      });
      contents.on('will-redirect', (event, target) => {
        if (intercept(target)) event.preventDefault();
      });
      let status = 0;
      contents.on('did-navigate', (_event, target, httpResponseCode) => {
        status = httpResponseCode;
        if (options.isRedirect(target)) settle({ kind: 'redirect', url: target });
      });
      // The core recognises the provider's error pages (a wrong consumer key never redirects).
      contents.on('did-finish-load', () => {
        const loaded = { url: contents.getURL(), status };
        if (!options.onPage) return;
        if (status < 400) return options.onPage({ ...loaded, text: '' });
        contents
          .executeJavaScript('document.body ? document.body.innerText.slice(0, 2000) : ""')
          .then((text: unknown) => options.onPage?.({ ...loaded, text: typeof text === 'string' ? text : '' }))
          .catch(() => options.onPage?.({ ...loaded, text: '' }));
      });
      contents.on('did-navigate-in-page', (_event, target, isMainFrame) => {
        if (isMainFrame && options.isRedirect(target)) settle({ kind: 'redirect', url: target });
      });
      contents.setWindowOpenHandler(() => ({ action: 'deny' }));
      contents.on('will-attach-webview', (event) => event.preventDefault());
      window.on('closed', () => settle({ kind: 'closed' }));
      void window.loadURL(url);

      return {
        outcome,
        close: () => {
          if (!window.isDestroyed()) window.destroy();
        },
      };
    },
    async forgetSession(sessionId) {
      const session: Session = electronSession.fromPartition(partitionFor(sessionId));
      await session.clearStorageData();
      await session.clearCache();
    },
  };
}
