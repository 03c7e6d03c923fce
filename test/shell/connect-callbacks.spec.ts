/**
 * The callbacks an External Client App takes besides loopback (issue #25 item 16), through
 * main/index.ts and the Electron adapters: the app-link scheme the app claims, handed over by the
 * OS (macOS `open-url`; Windows and Linux start the app again with the URL, which reaches the
 * running instance as `second-instance`), and an https callback the sign-in window catches from
 * `will-redirect` and never loads. The sandbox acts as an External Client App (no http callbacks).
 */
import type { Browser, Page } from '@playwright/test';
import { CUSTOM_SCHEME, CUSTOM_SCHEME_CALLBACK, HTTPS_CALLBACK } from '../../shared/callback-urls.js';
import { SAMPLE_CLIENT, SAMPLE_USER } from '../sandbox/server.js';
import { SCENARIOS } from '../support/app-scenarios.js';
import type { StandInBrowserWindow } from '../support/electron-stand-in/browser-window.js';
import { callApi, expect, test, type ShellApp } from './shell-app.js';

async function allow(page: Page): Promise<void> {
  await page.getByLabel('Username').fill(SAMPLE_USER.username);
  await page.getByLabel('Password').fill(SAMPLE_USER.password);
  await page.getByRole('button', { name: 'Allow' }).click();
}

async function settingsWindow(shell: ShellApp): Promise<Page> {
  shell.standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  return page;
}

const ownApp = (shell: ShellApp, label: string, callback: 'custom-scheme' | 'https') => ({ mode: 'external', label, crmType: 'Salesforce', loginHost: shell.sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, callback });

/**
 * The user's own browser (not the app's): it signs in and, at the redirect to the app link, does
 * what a browser does with a scheme it does not know: hands the URL to the OS (here: `handed`).
 */
async function signInInUsersBrowser(browser: Browser, url: string): Promise<{ handed: Promise<string>; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let hand: (url: string) => void = () => undefined;
  const handed = new Promise<string>((resolve) => (hand = resolve));
  await page.route('**/*', async (route, request) => {
    if (!request.isNavigationRequest()) return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers()['location'];
    if (location?.startsWith(`${CUSTOM_SCHEME}:`)) {
      hand(location);
      return route.abort('aborted');
    }
    return route.fulfill({ response });
  });
  await page.goto(url);
  await allow(page);
  return { handed, close: () => context.close() };
}

test(SCENARIOS.connectAppLink, async ({ shell, browser }) => {
  test.setTimeout(180_000);
  const standIn = await shell.launch({ signInWith: 'system-browser' });
  // The app claimed its scheme at start (the installers claim it too).
  expect(standIn.app.isDefaultProtocolClient(CUSTOM_SCHEME)).toBe(true);
  shell.sandbox.control.setCallbackPolicy('https-or-custom');
  const settings = await settingsWindow(shell);

  for (const [label, handOver] of [
    ['macOS', (url: string) => standIn.app.openUrl(url)],
    ['Windows and Linux', (url: string) => standIn.app.startedAgainWithUrl(url)],
  ] as const) {
    const connecting = callApi<{ ok: boolean; message?: string }>(settings, 'connect', ownApp(shell, `App link (${label})`, 'custom-scheme'));
    await expect.poll(() => standIn.records.openedExternally.length).toBe(label === 'macOS' ? 1 : 2);
    const authorize = new URL(standIn.records.openedExternally.at(-1)!);
    expect(authorize.searchParams.get('redirect_uri')).toBe(CUSTOM_SCHEME_CALLBACK);
    const user = await signInInUsersBrowser(browser, authorize.toString());
    const genuine = await user.handed;
    // A link with another state (any page can open the scheme) ends nothing.
    const forged = new URL(genuine);
    forged.searchParams.set('state', 'forged-state-value');
    handOver(forged.toString());
    handOver(genuine);
    expect(await connecting).toMatchObject({ ok: true, message: `App link (${label}) is connected.` });
    await user.close();
  }
  const records = await callApi<{ connections: Array<{ label: string; status: string }> }>(settings, 'getState');
  expect(records.connections.map((c) => [c.label, c.status])).toEqual([
    ['App link (macOS)', 'healthy'],
    ['App link (Windows and Linux)', 'healthy'],
  ]);
});

test(SCENARIOS.connectHttpsCallback, async ({ shell }) => {
  const standIn = await shell.launch({ signInWith: 'system-browser' });
  shell.sandbox.control.setCallbackPolicy('https-or-custom');
  const settings = await settingsWindow(shell);
  const connecting = callApi<{ ok: boolean }>(settings, 'connect', ownApp(shell, 'Caught https', 'https'));
  // Only the app's own window can catch it: that window opens although the system browser is chosen.
  let window: StandInBrowserWindow | undefined;
  await expect.poll(() => (window = standIn.windows.find((w) => w.title === 'Sign in to Salesforce')) !== undefined).toBe(true);
  expect(standIn.records.openedExternally).toEqual([]);
  const page = await window!.webContents.page;
  await allow(page);
  expect(await connecting).toMatchObject({ ok: true });
  // Caught at will-redirect: never committed, never requested from anyone.
  expect(window!.webContents.committedUrls.some((u) => u.startsWith(HTTPS_CALLBACK))).toBe(false);
  expect(standIn.loadFailures.filter((f) => f.url.startsWith(HTTPS_CALLBACK))).toEqual([]);
  const exchange = shell.sandbox.control.requestLog().find((r) => r.route === 'sf.token');
  expect((exchange?.body as Record<string, string>)['redirect_uri']).toBe(HTTPS_CALLBACK);
});
