/**
 * AuthBrowser for tests: shows the sign-in page in real Chromium and acts as the user would
 * (fill in, Allow / Deny, or close the window). A browser context per sessionId stands in for the
 * embedded window's persistent session. Like the Electron window it captures navigations to the
 * redirect URI, from the committed navigation or, like its `will-redirect`, from the server's
 * redirect itself (app-link and https callbacks are never loaded: their requests are aborted); with
 * `captureNavigation: false` (a system browser) only the loopback listener sees the redirect, and
 * an app-link one goes to `handOver` as the OS hands it to the app. It reports each page load
 * (status, an error page's text) as the window does.
 */
import type { Browser, BrowserContext, Page, Request } from '@playwright/test';
import type { AuthBrowser, AuthBrowserSession } from '../../main/core/ports.js';
import { CUSTOM_SCHEME, HTTPS_CALLBACK } from '../../shared/callback-urls.js';
import { SAMPLE_USER } from '../sandbox/server.js';

export type UserAction = 'allow' | 'deny' | 'close' | 'wrong-password-then-close' | 'nothing';

export interface PlaywrightAuthBrowser extends AuthBrowser {
  /** What the "user" does on the next sign-in page. */
  nextAction: UserAction;
  /** Where an app-link redirect goes that the window did not catch: the OS handing it to the app (`deliverCallback`). */
  handOver: ((url: string) => void) | null;
  /** Every main-frame URL a sign-in page loaded or started loading (a caught callback never appears). */
  readonly requested: string[];
  readonly opened: string[];
  readonly forgotten: string[];
  closeAll(): Promise<void>;
}

export function createPlaywrightAuthBrowser(browser: Browser, options: { captureNavigation?: boolean; username?: string; password?: string } = {}): PlaywrightAuthBrowser {
  const contexts = new Map<string, BrowserContext>();
  const opened: string[] = [];
  const forgotten: string[] = [];
  const requested: string[] = [];
  /** A main-frame navigation; a new page's first one has no frame to ask yet (Playwright throws), and is one. */
  const isMainFrame = (request: Request) => {
    try {
      return request.frame().parentFrame() === null;
    } catch {
      return true;
    }
  };
  const isCaughtCallback = (url: string) => url.startsWith(`${CUSTOM_SCHEME}:`) || url.split('?')[0] === HTTPS_CALLBACK;

  async function contextFor(sessionId: string | undefined): Promise<BrowserContext> {
    if (!sessionId) return browser.newContext();
    const existing = contexts.get(sessionId);
    if (existing) return existing;
    const created = await browser.newContext();
    contexts.set(sessionId, created);
    return created;
  }

  async function act(page: Page, action: UserAction): Promise<void> {
    if (action === 'nothing') return;
    if (action === 'close') return page.close();
    if (!(await page.getByLabel('Username').isVisible().catch(() => false))) return; // auto-approved
    if (action === 'deny') return page.getByRole('button', { name: 'Deny' }).click();
    await page.getByLabel('Username').fill(options.username ?? SAMPLE_USER.username);
    await page.getByLabel('Password').fill(action === 'wrong-password-then-close' ? 'wrong' : (options.password ?? SAMPLE_USER.password));
    await page.getByRole('button', { name: 'Allow' }).click();
    if (action === 'wrong-password-then-close') {
      await page.getByRole('alert').waitFor();
      await page.close();
    }
  }

  const authBrowser: PlaywrightAuthBrowser = {
    nextAction: 'allow',
    handOver: null,
    requested,
    opened,
    open(url, openOptions): AuthBrowserSession {
      opened.push(url);
      const action = authBrowser.nextAction;
      let page: Page | undefined;
      let ownContext: BrowserContext | undefined;
      const outcome = (async () => {
        const context = await contextFor(openOptions.sessionId);
        if (!openOptions.sessionId) ownContext = context;
        page = await context.newPage();
        let catchRedirect: (url: string) => void = () => undefined;
        // Main-frame navigations pass here, redirects one hop at a time (as Electron's will-redirect
        // sees them): an app-link or https callback is caught, never loaded.
        await page.route('**/*', async (route, request) => {
          if (!request.isNavigationRequest() || !isMainFrame(request)) return route.continue();
          requested.push(request.url());
          if (isCaughtCallback(request.url())) return route.abort('aborted');
          const response = await route.fetch({ maxRedirects: 0 }).catch(() => null);
          if (!response) return route.abort('connectionrefused');
          const location = response.headers()['location'];
          const target = location && response.status() >= 300 && response.status() < 400 ? new URL(location, request.url()).toString() : null;
          if (target && isCaughtCallback(target)) {
            catchRedirect(target);
            return route.abort('aborted');
          }
          return route.fulfill({ response });
        });
        const captured = new Promise<{ kind: 'redirect'; url: string }>((resolve) => {
          catchRedirect = (target) => {
            if (options.captureNavigation !== false && openOptions.isRedirect(target)) resolve({ kind: 'redirect', url: target });
            else if (options.captureNavigation === false && target.startsWith(`${CUSTOM_SCHEME}:`)) authBrowser.handOver?.(target);
          };
          if (options.captureNavigation === false) return;
          page!.on('framenavigated', (frame) => {
            if (frame === page!.mainFrame() && openOptions.isRedirect(frame.url())) resolve({ kind: 'redirect', url: frame.url() });
          });
        });
        const closed = new Promise<{ kind: 'closed' }>((resolve) => page!.on('close', () => resolve({ kind: 'closed' })));
        // Like the Electron window: each main-frame page load is reported with its status (and an error page's text).
        let status = 0;
        page.on('response', (response) => {
          if (response.request().isNavigationRequest() && response.frame() === page!.mainFrame()) status = response.status();
        });
        page.on('load', () => {
          const loaded = { url: page!.url(), status };
          if (status < 400) return openOptions.onPage?.({ ...loaded, text: '' });
          void page!
            .innerText('body')
            .then((text) => openOptions.onPage?.({ ...loaded, text: text.slice(0, 2000) }))
            .catch(() => undefined);
        });
        // A caught callback aborts the navigation it ends: that is the sign-in finishing, not failing.
        await page.goto(url).catch(() => undefined);
        void act(page, action).catch(() => undefined);
        return Promise.race([captured, closed]);
      })();
      return {
        outcome,
        close: () => {
          void page?.close().catch(() => undefined);
          void ownContext?.close().catch(() => undefined);
        },
      };
    },
    async forgetSession(sessionId) {
      forgotten.push(sessionId);
      await contexts.get(sessionId)?.close();
      contexts.delete(sessionId);
    },
    forgotten,
    async closeAll() {
      for (const context of contexts.values()) await context.close().catch(() => undefined);
      contexts.clear();
    },
  };
  return authBrowser;
}
