/** Connecting through the app's sign-in window and the system browser, under the stand-in. */
import keytar from 'keytar';
import { SAMPLE_CLIENT, SAMPLE_USER } from '../sandbox/server.js';
import { SCENARIOS } from '../support/app-scenarios.js';
import type { StandInBrowserWindow } from '../support/electron-stand-in/browser-window.js';
import { callApi, connectWithTokens, expect, KEYCHAIN_SERVICE, test, type ShellApp } from './shell-app.js';
import type { Page } from '@playwright/test';


async function signInWindow(shell: ShellApp): Promise<{ window: StandInBrowserWindow; page: Page }> {
  let found: StandInBrowserWindow | undefined;
  await expect.poll(() => (found = shell.standIn.windows.find((w) => w.title === 'Sign in to Salesforce')) !== undefined, { message: 'the sign-in window opens' }).toBe(true);
  const page = await found!.webContents.page;
  await expect(page.getByLabel('Username')).toBeVisible();
  return { window: found!, page };
}

async function allow(page: Page): Promise<void> {
  await page.getByLabel('Username').fill(SAMPLE_USER.username);
  await page.getByLabel('Password').fill(SAMPLE_USER.password);
  await page.getByRole('button', { name: 'Allow' }).click();
}

async function openConnectWizard(shell: ShellApp, label: string): Promise<Page> {
  shell.standIn.tray().clickMenuItem('Connect Salesforce org…');
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  // The tray's "Connect Salesforce org…" opens the wizard itself.
  await page.getByLabel('Connection name').fill(label);
  return page;
}

test(SCENARIOS.connectAppWindow, async ({ shell }) => {
  await shell.launch();
  const settings = await openConnectWizard(shell, 'Internal org');
  await settings.getByRole('button', { name: 'Connect', exact: true }).click();
  const { window, page } = await signInWindow(shell);
  expect(window.isVisible()).toBe(true);
  expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  expect(window.options.webPreferences).not.toHaveProperty('preload');
  expect(window.webContents.session.partition).toMatch(/^persist:auth-/);
  await allow(page);
  await expect(settings.getByRole('heading', { name: 'Internal org' })).toBeVisible({ timeout: 20_000 });
  await expect(settings.getByText('Healthy', { exact: true })).toBeVisible();
  // The redirect was taken from will-redirect, before it landed: the window never showed the
  // loopback page (did-navigate and the page's post are the fallbacks, not the rule).
  expect(window.isDestroyed()).toBe(true);
  expect(window.webContents.committedUrls.length).toBeGreaterThan(0);
  expect(window.webContents.committedUrls).not.toContainEqual(expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback/));
  expect(await keytar.findCredentials(KEYCHAIN_SERVICE)).not.toHaveLength(0);

  // oAuth-external-refresh through the same window (web-server flow with PKCE, code in the query).
  const external = callApi<{ ok: boolean }>(settings, 'connect', { mode: 'external', label: 'External org', crmType: 'Salesforce', loginHost: shell.sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret, callbackPort: 1717 });
  // A new connection gets a new Salesforce session (its own partition): the user signs in again.
  const second = await signInWindow(shell);
  expect(second.window.webContents.session).not.toBe(window.webContents.session);
  await allow(second.page);
  expect(await external).toMatchObject({ ok: true });
  await expect(settings.getByRole('heading', { name: 'External org' })).toBeVisible();
  expect([...shell.sandbox.state.applications.values()].map((a) => a.authorization).sort()).toEqual(['oAuth-external-refresh', 'oAuth-internal']);
});

test(SCENARIOS.connectSystemBrowser, async ({ shell, browser }) => {
  await shell.launch({ signInWith: 'system-browser' });
  const settings = await openConnectWizard(shell, 'Browser org');
  await settings.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect.poll(() => shell.standIn.records.openedExternally).toHaveLength(1);
  expect(shell.standIn.windows.filter((w) => w.title === 'Sign in to Salesforce')).toHaveLength(0);
  // The user's own browser: a separate Chromium context, no stand-in involved.
  const userBrowser = await browser.newContext();
  const page = await userBrowser.newPage();
  await page.goto(shell.standIn.records.openedExternally[0]!);
  await allow(page);
  // The loopback page posts the redirect (its fragment never reaches a server) and says so.
  await expect(page.getByRole('status')).toHaveText(/Sign-in received/);
  await expect(settings.getByRole('heading', { name: 'Browser org' })).toBeVisible({ timeout: 20_000 });
  await userBrowser.close();
});

test(SCENARIOS.signInClosed, async ({ shell }) => {
  await shell.launch();
  const settings = await openConnectWizard(shell, 'Never mind');
  await settings.getByRole('button', { name: 'Connect', exact: true }).click();
  const { window } = await signInWindow(shell);
  window.close();
  await expect(settings.getByRole('alert')).toBeVisible();
  expect(await callApi(settings, 'getState')).toMatchObject({ connections: [] });
  expect(shell.sandbox.state.applications.size).toBe(0);

  // A wrong consumer key: Salesforce's error page in the window (did-finish-load, its text read by
  // executeJavaScript) ends the sign-in at once, with the reason for the consumer key field.
  const wrongKey = await callApi<{ ok: boolean; field?: string; message: string }>(settings, 'connect', { mode: 'external', label: 'Wrong key', crmType: 'Salesforce', loginHost: shell.sandbox.urls.salesforceLogin, clientId: 'NotAConsumerKey', callbackPort: 1717 });
  expect(wrongKey).toMatchObject({ ok: false, field: 'clientId', message: expect.stringMatching(/^Salesforce does not know this consumer key/) });
  expect(shell.standIn.windows.filter((w) => w.title === 'Sign in to Salesforce' && !w.isDestroyed())).toHaveLength(0);
  expect(await callApi(settings, 'getState')).toMatchObject({ connections: [] });
});

test(SCENARIOS.notificationClick, async ({ shell }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  const id = await connectWithTokens(shell, page, 'Acme');
  const application = [...shell.sandbox.state.applications.values()][0]!;
  shell.sandbox.control.revokeRefreshToken(application.credentials['refresh_token']!);
  shell.sandbox.control.expireAccessTokens();
  standIn.tray().clickMenuItem(/^Acme —/, 'Refresh now');
  await expect.poll(() => standIn.notifications.filter((n) => n.shown).length, { timeout: 15_000 }).toBe(1);
  expect(standIn.notifications[0]!.options).toMatchObject({ title: 'Acme needs you' });
  await expect.poll(() => standIn.tray().image.path).toMatch(/(attention|error)\.png$/);
  standIn.notifications[0]!.click();
  const { page: dialog } = await shell.window(`/dialog/${id}`);
  await expect(dialog.getByRole('heading', { name: /Acme/ })).toBeVisible();
});

test(SCENARIOS.keyRejectedNotice, async ({ shell }) => {
  const standIn = await shell.launch();
  const { page, window: settings } = await shell.window('/settings');
  await shell.saveUserKey(page);
  await connectWithTokens(shell, page, 'Acme');
  settings.close();
  // Data2CRM stops accepting the key: the next check learns it.
  shell.sandbox.state.userKeys.clear();
  standIn.tray().clickMenuItem(/^Acme —/, 'Refresh now');
  await expect.poll(() => standIn.notifications.filter((n) => n.shown).length, { timeout: 15_000 }).toBe(1);
  expect(standIn.notifications[0]!.options).toMatchObject({ title: 'Data2CRM rejected your user key' });
  await expect.poll(() => standIn.tray().image.path).toMatch(/key-rejected\.png$/);
  standIn.notifications[0]!.click();
  const { page: account } = await shell.window('/settings/account');
  await expect(account.getByRole('tab', { name: 'Account', selected: true })).toBeVisible();
});
