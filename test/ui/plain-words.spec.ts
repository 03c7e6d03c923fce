/** Issue #14 "Words" and "Flows": plain messages under the field that caused them; saving a key tests it. */
import { expect, test } from '../support/ui-fixtures.js';
import { SAMPLE_USER_KEY } from '../sandbox/server.js';

test('a bad user key is explained under its field in plain words; a good one is saved and tested at once', async ({ page, renderer, app }) => {
  void app;
  await page.goto(`${renderer.origin}/index.html#/settings/account`);
  await page.getByRole('button', { name: 'Replace key…' }).click();
  const field = page.getByLabel('New user key');
  for (const [value, words] of [
    ['   ', 'Paste the user key first.'],
    ['short', 'The user key looks too short: Data2CRM user keys are longer.'],
  ] as const) {
    await field.fill(value);
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect(page.getByRole('alert')).toHaveText(words);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.getByText(/Invalid argument/)).toHaveCount(0);
  await field.fill(SAMPLE_USER_KEY);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved\. Data2CRM accepted the key/ })).toBeVisible();
});

test('renaming to spaces says why under the field and keeps the name', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill('Acme');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const item = page.getByRole('listitem', { name: 'Acme' });
  await expect(item.getByRole('heading', { name: 'Acme' })).toBeVisible({ timeout: 20_000 });
  await item.getByRole('button', { name: 'Rename' }).click();
  await item.getByLabel('New name').fill('   ');
  await item.getByRole('button', { name: 'Save' }).click();
  await expect(item.getByRole('alert')).toHaveText('Give the connection a name (spaces alone are not a name).');
  expect(app.core.settings.get().connections[0]!.label).toBe('Acme');
  await item.getByLabel('New name').fill('Acme EU');
  await item.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('listitem', { name: 'Acme EU' }).getByRole('heading', { name: 'Acme EU' })).toBeVisible();
});

test('one name per way of connecting: the wizard, the card and the table say the same', async ({ page, renderer, app }) => {
  const { addConnections, connectionRecord, manyConnections } = await import('../support/many-connections.js');
  addConnections(app.core, [connectionRecord('Own app org', { mode: 'external' }), connectionRecord('Pasted org', { mode: 'manual' }), ...manyConnections(12)]);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const table = page.getByRole('table', { name: /^Connections/ });
  await expect(table).toBeVisible({ timeout: 20_000 });
  const modeIn = (label: string) => table.locator('tbody:not(.spacer)').filter({ has: page.getByRole('button', { name: label, exact: true }) }).locator('td[data-label="Mode"]');
  await expect(modeIn('Own app org')).toHaveText('Own connected app');
  await expect(modeIn('Pasted org')).toHaveText('Pasted tokens');
  await expect(modeIn('Org 1')).toHaveText('Data2CRM sign-in');
  await page.getByRole('button', { name: 'List', exact: true }).click();
  for (const [label, mode] of [['Own app org', 'Own connected app'], ['Pasted org', 'Pasted tokens'], ['Org 1', 'Data2CRM sign-in']] as const) {
    const card = page.getByRole('listitem', { name: label, exact: true });
    await card.getByText('Details').click();
    await expect(card.locator('.facts')).toContainText(` · ${mode}`);
  }
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  for (const mode of ['Data2CRM sign-in', 'Own connected app']) await expect(page.getByRole('radio', { name: new RegExp(`^${mode}`) })).toBeVisible();
});

test('"Pause for 1 hour" says until when, in the window’s header', async ({ page, renderer, app }) => {
  const { addConnections, manyConnections } = await import('../support/many-connections.js');
  addConnections(app.core, manyConnections(1));
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const at = Date.now();
  app.core.app.setPaused(true, 3_600_000);
  const until = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  // The page and the core share this machine's locale and time zone.
  await expect(page.locator('.topbar [role="status"]')).toHaveText(new RegExp(`^Paused until (${until(at + 3_600_000)}|${until(Date.now() + 3_600_000)}) · 1 connection not kept alive$`));
  app.core.app.setPaused(false);
  await expect(page.locator('.topbar [role="status"]')).toHaveText('1 connection · all healthy');
});
