/**
 * Keyboard alone and a screen-reader audit (axe) on every screen, plus screenshots of each screen
 * in light and dark as test artifacts (test-results/screenshots).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/ui-fixtures.js';

const SHOTS = 'test-results/screenshots';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Presses Tab until the focused element matches, like a keyboard user looking for it. */
async function tabTo(page: Page, matches: (el: { role: string | null; name: string; tag: string; label: string }) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      const id = a?.id;
      const label = id ? (document.querySelector(`label[for="${id}"]`)?.textContent ?? '') : (a?.closest('label')?.textContent ?? '');
      return { role: a?.getAttribute('role') ?? null, name: (a?.textContent ?? '').trim(), tag: a?.tagName.toLowerCase() ?? '', label: label.trim() };
    });
    if (matches(el)) return;
  }
  throw new Error('did not reach the element with Tab');
}

test('the connect wizard works with the keyboard alone, from Tab to a connected org', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  await tabTo(page, (e) => e.tag === 'button' && e.name === 'Connect Salesforce org…');
  await page.keyboard.press('Enter');
  // Mode radios: arrows move within the group; come back to the first (Data2CRM sign-in).
  await tabTo(page, (e) => e.tag === 'input' && e.label.startsWith('Data2CRM sign-in'));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /Own connected app/ })).toBeChecked();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('radio', { name: /Data2CRM sign-in/ })).toBeChecked();
  await tabTo(page, (e) => e.label === 'Connection name');
  await page.keyboard.type('Keyboard org');
  await tabTo(page, (e) => e.tag === 'button' && e.name === 'Connect');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Keyboard org' })).toBeVisible({ timeout: 20_000 });
  expect(app.core.settings.get().connections.map((c) => c.label)).toEqual(['Keyboard org']);
});

test('the settings tabs follow the WAI-ARIA pattern (arrows, Home, End)', async ({ page, renderer, app }) => {
  void app;
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('tab', { name: 'Connections' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('tab', { name: 'Account' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Account' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Activity' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('tab', { name: 'Connections' })).toBeFocused();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen passes axe (no serious or critical violations) and is captured, ${scheme}`, async ({ page, renderer, app }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 920, height: 680 });
    await page.goto(`${renderer.origin}/index.html#/settings`);
    await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
    // A connection to look at, then one that needs the user (for the dialog).
    await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
    await page.getByLabel('Connection name').fill('Acme production');
    await page.screenshot({ path: `${SHOTS}/connect-wizard-${scheme}.png` });
    expect(await seriousViolations(page), 'connect wizard').toEqual([]);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Acme production' })).toBeVisible({ timeout: 20_000 });

    for (const tab of ['Connections', 'Account', 'Refresh', 'General', 'Activity'] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await expect(page.getByRole('heading', { level: 2, name: tab })).toBeVisible();
      if (tab === 'Activity') await page.getByRole('button', { name: 'Preview diagnostics' }).click();
      await page.screenshot({ path: `${SHOTS}/settings-${tab.toLowerCase()}-${scheme}.png` });
      expect(await seriousViolations(page), tab).toEqual([]);
    }

    const record = app.core.settings.get().connections[0]!;
    app.core.settings.update((s) => ({ ...s, connections: s.connections.map((c) => ({ ...c, status: 'needs-reauthorization' as const, statusDetail: 'Salesforce no longer accepts this sign-in (expired access/refresh token).' })) }));
    const dialog = await app.openPage(`#/dialog/${record.id}`);
    await dialog.emulateMedia({ colorScheme: scheme });
    await dialog.setViewportSize({ width: 520, height: 520 });
    await expect(dialog.getByRole('button', { name: 'Re-authorize' })).toBeVisible();
    await dialog.screenshot({ path: `${SHOTS}/dialog-${scheme}.png` });
    expect(await seriousViolations(dialog), 'dialog').toEqual([]);
  });
}
