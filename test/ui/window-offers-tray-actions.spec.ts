/**
 * On a desktop without a tray (stock GNOME) the settings window is all a person sees: it offers
 * Quit and the tray's actions (connect, pause / resume, and per connection refresh, re-authorize,
 * copy key, open in Salesforce, disconnect), each through the IPC contract to the real core.
 */
import { externalTokens } from '../support/sandbox-tokens.js';
import { expect, test } from '../support/ui-fixtures.js';

test('the window offers Quit, Pause / Resume and Open in Salesforce, like the tray', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  // Nothing to pause yet, as in the tray (where the item is disabled).
  await expect(page.getByRole('button', { name: 'Pause automatic refresh' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill('Acme');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const item = page.getByRole('listitem', { name: 'Acme' });
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 20_000 });
  for (const action of ['Refresh now', 'Re-authorize', 'Copy application key', 'Open in Salesforce', 'Disconnect…']) await expect(item.getByRole('button', { name: action })).toBeVisible();

  await item.getByRole('button', { name: 'Open in Salesforce' }).click();
  await expect(item.getByText('Opened in your browser.')).toBeVisible();
  expect(app.opened).toEqual([app.core.settings.get().connections[0]!.instanceUrl]);

  await page.getByRole('button', { name: 'Pause automatic refresh' }).click();
  await expect(page.getByRole('button', { name: 'Resume automatic refresh' })).toBeVisible();
  expect(app.core.keepAlive.isPaused()).toBe(true);
  await page.getByRole('button', { name: 'Resume automatic refresh' }).click();
  await expect(page.getByRole('button', { name: 'Pause automatic refresh' })).toBeVisible();
  expect(app.core.keepAlive.isPaused()).toBe(false);

  expect(app.quits).toBe(0);
  await page.getByRole('button', { name: 'Quit Data2CRM Tray' }).click();
  await expect.poll(() => app.quits).toBe(1);
});

test('Open in Salesforce refuses an instance URL that is no longer trusted', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill('Acme');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const item = page.getByRole('listitem', { name: 'Acme' });
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 20_000 });
  // The sandbox host stops being trusted (as after pointing the app back at Salesforce).
  app.core.settings.update((s) => ({ ...s, extraInstanceHosts: [] }));
  await item.getByRole('button', { name: 'Open in Salesforce' }).click();
  await expect(item.getByRole('alert')).toHaveText('The instance URL is not a trusted Salesforce address, so it was not opened.');
  expect(app.opened).toEqual([]);
});

test('what the tray’s Re-authorize… offers in its dialog, the row offers too: new pasted tokens, and Register again', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const first = await externalTokens(app.sandbox);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Paste tokens').check();
  await page.getByLabel('Connection name').fill('Pasted');
  await page.getByRole('textbox', { name: 'Instance URL' }).fill(first.instanceUrl);
  await page.getByRole('textbox', { name: 'Access token', exact: true }).fill(first.accessToken);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const item = page.getByRole('listitem', { name: 'Pasted' });
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 20_000 });

  // The pasted token dies: the row asks for new tokens and takes them.
  app.sandbox.control.expireAccessTokens(first.accessToken);
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Needs new tokens', { exact: true })).toBeVisible({ timeout: 15_000 });
  await item.getByRole('button', { name: 'Paste new tokens…' }).click();
  const fresh = await externalTokens(app.sandbox);
  await item.getByLabel('New access token').fill(fresh.accessToken);
  await item.getByRole('button', { name: 'Update', exact: true }).click();
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(item.getByLabel('New access token')).toHaveCount(0);

  // The application is deleted in Data2CRM: the row offers Register again.
  const record = app.core.settings.get().connections[0]!;
  app.sandbox.state.applications.delete(record.applicationKey!);
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Deleted in Data2CRM', { exact: true })).toBeVisible({ timeout: 15_000 });
  await item.getByRole('button', { name: 'Register again' }).click();
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 15_000 });
  expect(app.sandbox.state.applications.size).toBe(1);
});
