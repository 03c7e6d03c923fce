/** Issue #14 item 13: without a user key, Connect can't start a sign-in that would fail at the end; the banners lead to Account. */
import { expect, test } from '../support/ui-fixtures.js';
import { callApi } from '../support/window-api.js';

test.use({ startFromDefaults: true });

test('no user key: the wizard says so before any sign-in, its banner opens Account, and the core refuses a connect', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await expect(page.getByRole('note')).toContainText('Set your Data2CRM user key first');
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeDisabled();
  // A renderer that calls anyway gets the plain reason, and no sign-in starts.
  const result = await callApi(page, 'connect', { mode: 'internal', label: 'Acme', crmType: 'Salesforce' });
  expect(result).toEqual({ ok: false, message: 'Set your Data2CRM user key under Account first: registering the org needs it. Nothing was started.' });
  expect(app.core.settings.get().connections).toEqual([]);
  // The fix is offered once (issue 25 item 8): the wizard's banner, not also the first steps behind it.
  await expect(page.getByRole('button', { name: 'Open Account' })).toHaveCount(1);
  await page.getByRole('note').getByRole('button', { name: 'Open Account' }).click();
  await expect(page.getByRole('tab', { name: 'Account', selected: true })).toBeVisible();
  await expect(page.getByLabel('New user key')).toBeVisible();
});
