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
