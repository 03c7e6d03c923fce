/** The settings window and the re-authorize dialog over the real core, the sandbox and the keychain. */
import type { Page } from '@playwright/test';
import { connectInternal } from '../support/ui-actions.js';
import { expect, test, type UiApp } from '../support/ui-fixtures.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { buildTrayModel, trayStateFrom } from '../../main/core/index.js';
import { SAMPLE_USER_KEY } from '../sandbox/server.js';

async function openSettings(page: Page, origin: string) {
  await page.goto(`${origin}/index.html#/settings`);
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
}

const connectionItem = (page: Page, label: string) => page.getByRole('listitem', { name: label });

test('connect an org through the wizard and the sandbox sign-in; it shows healthy with its application key', async ({ page, renderer, app }) => {
  await openSettings(page, renderer.origin);
  await connectInternal(page, 'Acme production');
  const item = connectionItem(page, 'Acme production');
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible();
  const record = app.core.settings.get().connections[0]!;
  await expect(item.getByTestId(`app-key-${record.id}`)).toHaveText(`…${record.applicationKey!.slice(-4)}`);
  await item.getByRole('button', { name: 'Copy application key' }).click();
  await expect(item.getByText('Application key copied.')).toBeVisible();
  expect(app.clipboard).toEqual([record.applicationKey]);
  expect(app.sandbox.state.applications.get(record.applicationKey!)?.authorization).toBe('oAuth-internal');
});

test('when the sandbox rejects it: one notification, the dialog explains, re-authorize brings it back to healthy', async ({ page, renderer, app }) => {
  await openSettings(page, renderer.origin);
  await connectInternal(page, 'Acme');
  const record = app.core.settings.get().connections[0]!;
  // Data2CRM can no longer refresh, and the sign-in page would need the user.
  app.sandbox.control.revokeRefreshToken(app.sandbox.state.applications.get(record.applicationKey!)!.credentials['refresh_token']!);
  app.sandbox.control.setAutoApprove(false);
  app.authBrowser.nextAction = 'nothing';
  await connectionItem(page, 'Acme').getByRole('button', { name: 'Refresh now' }).click();
  await expect(connectionItem(page, 'Acme').getByText('Needs you', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => app.notices.length, { timeout: 5_000 }).toBe(1);
  expect(app.notices[0]).toMatchObject({ title: 'Acme needs you', openDialogFor: record.id });

  // Clicking the notification opens the dialog for that connection.
  const dialog = await app.openPage(`#/dialog/${app.notices[0]!.openDialogFor}`);
  await expect(dialog.getByRole('heading', { name: /Acme/ })).toBeVisible();
  // Why, beside the state's badge, once.
  await expect(dialog.locator('.state-line')).toContainText(/^Needs you.*no longer accepts/);
  await expect(dialog.getByText(/no longer accepts/)).toHaveCount(1);
  await expect(dialog.getByText(/Last verified/)).toBeVisible();
  app.sandbox.control.setAutoApprove(true);
  app.authBrowser.nextAction = 'allow';
  const closedBefore = app.closed;
  await dialog.getByRole('button', { name: 'Re-authorize' }).click();
  await expect.poll(() => app.closed, { timeout: 20_000 }).toBe(closedBefore + 1);
  await expect(connectionItem(page, 'Acme').getByText('Healthy', { exact: true })).toBeVisible();
});

test('paste tokens: a validation error first, then a refused URL, then a working connection', async ({ page, renderer, app }) => {
  await openSettings(page, renderer.origin);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Paste tokens').check();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByText('Give the connection a name.')).toBeVisible();
  await expect(page.getByText('Enter the instance URL.')).toBeVisible();
  await expect(page.getByText('Paste the access token.')).toBeVisible();
  await expect(page.getByLabel('Connection name')).toHaveAttribute('aria-invalid', 'true');

  const tokens = await externalTokens(app.sandbox);
  await page.getByLabel('Connection name').fill('Pasted org');
  // Not https: refused outright, nothing asked.
  await page.getByRole('textbox', { name: 'Instance URL' }).fill('http://salesforce.com.evil.example');
  await page.getByRole('textbox', { name: 'Access token', exact: true }).fill(tokens.accessToken);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The instance URL must be an https Salesforce address' })).toBeVisible();
  expect(app.confirmations).toEqual([]);
  // A look-alike https host is no Salesforce address: since issue 25 item 11 the app's own question
  // asks whether to trust it (here declined), and the refusal names it under the field.
  await page.getByRole('textbox', { name: 'Instance URL' }).fill('https://salesforce.com.evil.example');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not connected: salesforce.com.evil.example is the instance URL, which is not a Salesforce address, and you did not trust it. Nothing was stored.' })).toBeVisible();
  expect(app.confirmations).toEqual([[expect.objectContaining({ setting: 'Salesforce instance', host: 'salesforce.com.evil.example' })]]);
  expect(app.core.settings.get().extraInstanceHosts).not.toContain('salesforce.com.evil.example');
  expect(app.core.settings.get().connections).toEqual([]);
  await page.getByRole('textbox', { name: 'Instance URL' }).fill(tokens.instanceUrl);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(connectionItem(page, 'Pasted org').getByText('Healthy', { exact: true })).toBeVisible();
});

test('disconnect asks first, then removes the application, the keychain entry and the row', async ({ page, renderer, app }) => {
  await openSettings(page, renderer.origin);
  await connectInternal(page, 'Short-lived');
  const record = app.core.settings.get().connections[0]!;
  const item = connectionItem(page, 'Short-lived');
  await item.getByRole('button', { name: 'Disconnect…' }).click();
  await item.getByRole('button', { name: 'Keep it' }).click();
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: 'Disconnect…' }).click();
  await item.getByRole('button', { name: 'Yes, disconnect' }).click();
  await expect(page.getByText('No connections yet.')).toBeVisible();
  expect(app.sandbox.state.applications.has(record.applicationKey!)).toBe(false);
  expect(app.core.vault.secretsOf(record.id)).toBeNull();
});

test('settings persist across a reload', async ({ page, renderer, app }) => {
  await openSettings(page, renderer.origin);
  await page.getByRole('tab', { name: 'Refresh' }).click();
  const interval = page.getByLabel('Check Data2CRM sign-in connections every (minutes)');
  // Cleared: the field stays empty and says what it needs (not "0"); a long paste is refused in words.
  await interval.fill('');
  await expect(interval).toHaveValue('');
  await expect(page.getByText('Enter a number of minutes, from 1 to 1440.')).toBeVisible();
  await interval.fill('1e999');
  await expect(page.getByText('Enter a whole number from 1 to 1440.')).toBeVisible();
  await expect(page.getByText('Infinity')).toHaveCount(0);
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(interval).toHaveValue('15');
  await interval.fill('0');
  await expect(page.getByText('Enter a whole number from 1 to 1440.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  await interval.fill('30');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.getByRole('tab', { name: 'General' }).click();
  await page.getByLabel('My default browser (works with company single sign-on)').check();
  await expect(page.getByLabel('My default browser (works with company single sign-on)')).toBeChecked();

  await page.reload();
  await page.getByRole('tab', { name: 'Refresh' }).click();
  await expect(page.getByLabel('Check Data2CRM sign-in connections every (minutes)')).toHaveValue('30');
  await page.getByRole('tab', { name: 'General' }).click();
  await expect(page.getByLabel('My default browser (works with company single sign-on)')).toBeChecked();
  expect(app.core.settings.get()).toMatchObject({ refresh: { internalIntervalMs: 30 * 60_000 }, signIn: { with: 'system-browser' } });
});

test('the user key is write-only: replaced and tested, never shown', async ({ page, renderer, app }) => {
  await openSettings(page, renderer.origin);
  await page.getByRole('tab', { name: 'Account' }).click();
  const key = app.core.vault.userKey()!;
  await expect(page.getByTestId('user-key-fingerprint')).toHaveText(`…${key.slice(-4)}`);
  await page.getByRole('button', { name: 'Test key' }).click();
  await expect(page.getByText(/Data2CRM accepted the key/)).toBeVisible();
  await page.getByRole('button', { name: 'Replace key…' }).click();
  await page.getByLabel('New user key').fill('not-a-valid-key-123');
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByTestId('user-key-fingerprint')).toHaveText('…-123');
  await page.getByRole('button', { name: 'Test key' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Data2CRM rejected the user key' })).toBeVisible();
  expect(await page.content()).not.toContain(key);
});

export type { UiApp };

test('a rejected user key is shown everywhere: header, rows, tray, one notification to Account; Refresh now says why; a working key resumes', async ({ page, renderer, app }) => {
  await openSettings(page, renderer.origin);
  await connectInternal(page, 'Acme');
  const item = connectionItem(page, 'Acme');
  // Data2CRM stops accepting the user key.
  app.sandbox.state.userKeys.delete(SAMPLE_USER_KEY);
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Stopped: user key rejected')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/Data2CRM rejected the user key/);
  await expect(item.getByText('Stopped: user key rejected')).toBeVisible();
  await expect(item.getByText('Healthy', { exact: true })).toHaveCount(0);
  const tray = buildTrayModel(trayStateFrom(app.core.app.snapshot(), { productName: 'Data2CRM Tray', version: '0.1.0' }, Date.now()));
  expect(tray.icon).toBe('key-rejected');
  expect(tray.tooltip).toMatch(/rejected the user key/);
  // The tray offers the same try the windows do (#25 item 4).
  const trayRefresh = tray.items.flatMap((i) => (i.kind === 'submenu' ? i.items : [])).find((i) => i.kind === 'action' && i.label === 'Refresh now');
  expect(trayRefresh).toMatchObject({ enabled: true });
  expect(app.notices.filter((n) => n.openAccount)).toHaveLength(1);

  // Refresh now tries again; still rejected, the card says nothing twice: its badge (and the
  // window's banner) already say why, never "Refreshed and verified".
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByRole('button', { name: 'Refresh now' })).not.toHaveAttribute('aria-busy', 'true');
  await expect(item.getByText('Stopped: user key rejected')).toBeVisible();
  await expect(item.getByRole('alert')).toHaveCount(0);
  await expect(item.getByText('Refreshed and verified.')).toHaveCount(0);

  // The banner's own way out: its button switches to the Account tab.
  await page.getByRole('button', { name: 'Replace it under Account' }).click();
  await expect(page.getByRole('tab', { name: 'Account', selected: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Connections' }).click();

  // The notification opens Settings → Account, where a working key resumes everything.
  const account = await app.openPage('#/settings/account');
  await expect(account.getByRole('heading', { name: 'Account' })).toBeVisible();
  app.sandbox.state.userKeys.add(SAMPLE_USER_KEY);
  await account.getByRole('button', { name: 'Replace key…' }).click();
  await account.getByLabel('New user key').fill(SAMPLE_USER_KEY);
  await account.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByRole('banner').getByRole('status')).toHaveText('1 connection · all healthy');
  await expect(item.getByText('Stopped: user key rejected')).toHaveCount(0);
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Refreshed and verified.')).toBeVisible({ timeout: 15_000 });
  expect(app.notices.filter((n) => n.openAccount)).toHaveLength(1);
});

test('a user key accepted again is noticed by Refresh now: "Refreshed…", no banner, no stopped badge, keep-alive runs again (#25 item 4)', async ({ page, renderer, app }) => {
  await openSettings(page, renderer.origin);
  await connectInternal(page, 'Acme');
  const item = connectionItem(page, 'Acme');
  app.sandbox.state.userKeys.delete(SAMPLE_USER_KEY);
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Stopped: user key rejected')).toBeVisible({ timeout: 15_000 });
  // Data2CRM takes the same key again; nothing is changed in the app (no Save key, no Test key).
  app.sandbox.state.userKeys.add(SAMPLE_USER_KEY);
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText(/^Refreshed and verified/)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('banner').getByRole('status')).toHaveText('1 connection · all healthy');
  await expect(page.getByRole('button', { name: 'Replace it under Account' })).toHaveCount(0);
  await expect(item.getByText('Stopped: user key rejected')).toHaveCount(0);
  expect(app.core.keepAlive.serviceKeyRejected()).toBe(false);
  // Keep-alive plans this connection's next check again.
  const id = app.core.settings.get().connections[0]!.id;
  await expect.poll(() => app.core.keepAlive.nextRunAt(id), { timeout: 15_000 }).not.toBeNull();
});
