/** Issue #14 "Truth": pause, live times, expiry words, the dialog, grouped notices, retries. */
import type { Page } from '@playwright/test';
import { connectInternal } from '../support/ui-actions.js';
import { expect, test } from '../support/ui-fixtures.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { buildTrayModel, trayStateFrom } from '../../main/core/index.js';

const row = (page: Page, label: string) => page.getByRole('listitem', { name: label });

test('pause shows in the header, every row and the tray icon; resume brings back the real state', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');
  await page.getByRole('button', { name: 'Pause automatic refresh' }).click();
  await expect(page.getByRole('status').first()).toHaveText('Paused · 1 connection not kept alive');
  await expect(row(page, 'Acme').getByText('Paused', { exact: true })).toBeVisible();
  await expect(row(page, 'Acme').getByText('automatic refresh is off', { exact: true })).toBeVisible();
  expect(buildTrayModel(trayStateFrom(app.core.app.snapshot(), { productName: 'Data2CRM Tray', version: '0.1.0' }, Date.now())).icon).toBe('paused');
  await page.getByRole('button', { name: 'Resume automatic refresh' }).click();
  await expect(page.getByRole('status').first()).toHaveText('1 connection · all healthy');
  await expect(row(page, 'Acme').getByText('Healthy', { exact: true })).toBeVisible();
});

test('relative times stay true while the window shows them, and agree with each other', async ({ page, renderer, app }) => {
  void app; // the whole core behind window.api
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');
  const item = row(page, 'Acme');
  await expect(item.getByText('verified just now', { exact: true })).toBeVisible();
  // 150 s pass for the page's clock (its timers keep running): the shown time follows within a tick.
  await page.evaluate(() => {
    const real = Date.now.bind(Date);
    Date.now = () => real() + 150_000;
  });
  await expect(item.getByText('verified 2 min ago', { exact: true })).toBeVisible({ timeout: 20_000 });
  await item.getByText('Details').click();
  await expect(item.getByText(/\(2 min ago\)/)).toBeVisible();
});

test('pasted tokens without a refresh token show when they really expire; a dead one shows no expiry', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const tokens = await externalTokens(app.sandbox);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Paste tokens').check();
  await page.getByLabel('Connection name').fill('Pasted');
  await page.getByRole('textbox', { name: 'Instance URL' }).fill(tokens.instanceUrl);
  await page.getByRole('textbox', { name: 'Access token', exact: true }).fill(tokens.accessToken);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const item = row(page, 'Pasted');
  await expect(item.locator('.state-line')).toHaveText(/^Healthy token expires in \d+ (min|h)/, { timeout: 20_000 });
  app.sandbox.control.expireAccessTokens(tokens.accessToken);
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Needs new tokens', { exact: true })).toBeVisible({ timeout: 15_000 });
  await item.getByText('Details').click();
  await expect(item.getByText('Token expires')).toHaveCount(0);
  // Its fix is one click from the row, and named for what it is.
  await expect(item.getByRole('button', { name: 'Paste new tokens…' })).toBeVisible();
});

test('the dialog names the org, tells the truth for a healthy connection, and says how long Snooze lasts', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');
  const record = app.core.settings.get().connections[0]!;
  const dialog = await app.openPage(`#/dialog/${record.id}`);
  await expect(dialog.getByRole('heading', { level: 1, name: /Acme/ })).toBeVisible();
  await expect(dialog.locator('.state-line')).toHaveText(/^Healthy verified just now$/);
  await expect(dialog.getByText(`${record.username} · ${record.instanceUrl} · production org`)).toBeVisible();
  await expect(dialog.getByRole('button', { name: /Snooze/ })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Refresh now' })).toBeVisible();
  expect(await dialog.title()).toBe('Acme');

  app.sandbox.control.revokeRefreshToken(app.sandbox.state.applications.get(record.applicationKey!)!.credentials['refresh_token']!);
  app.sandbox.control.setAutoApprove(false);
  app.authBrowser.nextAction = 'nothing';
  await row(page, 'Acme').getByRole('button', { name: 'Refresh now' }).click();
  await expect(dialog.getByRole('button', { name: 'Snooze notifications for 4 h' })).toBeVisible({ timeout: 15_000 });
  // The reason, said once, beside the badge (no second sentence repeating it).
  await expect(dialog.locator('.state-line')).toContainText('Needs you');
  await expect(dialog.getByText(/no longer accepts/)).toHaveCount(1);
  await expect.poll(() => dialog.title()).toBe('Acme needs attention');
});

test('a grouped notification opens every connection it names', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');
  await connectInternal(page, 'Globex');
  app.sandbox.control.setAutoApprove(false);
  app.authBrowser.nextAction = 'nothing';
  for (const record of app.core.settings.get().connections) app.sandbox.control.revokeRefreshToken(app.sandbox.state.applications.get(record.applicationKey!)!.credentials['refresh_token']!);
  await row(page, 'Acme').getByRole('button', { name: 'Refresh now' }).click();
  await row(page, 'Globex').getByRole('button', { name: 'Refresh now' }).click();
  await expect(row(page, 'Globex').getByText('Needs you', { exact: true })).toBeVisible({ timeout: 15_000 });
  const attention = await app.openPage('#/attention');
  await expect(attention.getByRole('heading', { level: 1 })).toHaveText('2 connections need attention');
  await expect(attention.getByRole('heading', { level: 2, name: /Acme/ })).toBeVisible();
  await expect(attention.getByRole('heading', { level: 2, name: /Globex/ })).toBeVisible();
});

test('a retry shows its next try, as the server’s Retry-After asked', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');
  app.sandbox.control.fault({ route: '*', fault: { kind: 'status', status: 503, retryAfter: '600' }, remaining: 50 });
  await row(page, 'Acme').getByRole('button', { name: 'Refresh now' }).click();
  await expect(row(page, 'Acme').locator('.state-line')).toContainText(/Next try in 1[01] min\./, { timeout: 15_000 });
});
