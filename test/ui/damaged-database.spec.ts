/** A state database that could not be read at start: the window's header, banner and Activity say so, over the real core. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../support/ui-fixtures.js';

test.use({ damagedStateDb: true });

test('a damaged state database is set aside and told: header line, banner with what comes next, an Activity entry', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.locator('header [role="status"]')).toHaveText('No connections · connection data was damaged and set aside');
  const banner = page.getByRole('alert').filter({ hasText: 'connection data could not be read' });
  await expect(banner).toContainText('set aside (kept beside the new one as state.db.unreadable-…) and started afresh');
  await expect(banner).toContainText('appear under “Found in the keychain” to recover; connect any others again');
  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => v.id)).toEqual([]);

  await page.getByRole('tab', { name: 'Activity' }).click();
  const row = page.getByRole('row').filter({ hasText: 'could not be read, so it was set aside' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Data2CRM Tray');
  await page.getByLabel('Show').selectOption('problems');
  await expect(row).toHaveCount(1);
  expect(app.logger.lines.filter((l) => l.message.includes('moved aside'))).toHaveLength(1);
  await page.screenshot({ path: 'test-results/screenshots/damaged-database-light.png' });
});
