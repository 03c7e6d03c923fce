/** A state database a newer version wrote, over the real core: every window says so, and offers nothing that would write. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../support/ui-fixtures.js';

test.use({ newerStateDb: true });

const WORDS = 'The state database was made by a newer version of Data2CRM Tray; update the app.';

test('a newer version’s state database: header, banner in the settings window and the dialog, nothing to connect or resume', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.locator('header [role="status"]')).toHaveText('3 connections · the state database was made by a newer version of Data2CRM Tray; update the app');
  await expect(page.getByRole('alert').filter({ hasText: WORDS })).toHaveCount(1);
  // The connections are listed as stored, each saying nothing keeps it alive.
  await expect(page.getByText('Acme (internal)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Connect Salesforce org…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Resume automatic refresh' })).toHaveCount(0);
  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/newer-state-database-light.png' });

  await page.goto(`${renderer.origin}/index.html#/dialog/conn-aaaaaaaa`);
  await expect(page.getByRole('alert').filter({ hasText: WORDS })).toHaveCount(1);
  expect(app.notices.map((n) => n.title)).toEqual(['Data2CRM Tray needs an update']);
});
