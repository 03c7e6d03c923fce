/**
 * Keyboard alone and a screen-reader audit (axe) on every screen (settings tabs, wizard, dialog,
 * attention view), plus screenshots of each in light and dark as test artifacts (test-results/screenshots).
 */
import type { Page } from '@playwright/test';
import { seriousViolations } from '../support/axe.js';
import { addConnections, manyConnections } from '../support/many-connections.js';
import { SIGN_IN_ENDED_WORDS } from '../support/stored-failure-words.js';
import { expect, test } from '../support/ui-fixtures.js';

const SHOTS = 'test-results/screenshots';

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
  // The wizard opens with the focus on the way to connect; arrows move within the group.
  await expect(page.getByRole('radio', { name: /Data2CRM sign-in/ })).toBeFocused();
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

/** Artifacts of every screen; the README's pictures come from readme-screenshots.spec.ts (a fixed clock). */
async function capture(page: Page, name: string, zoom: number) {
  await page.screenshot({ path: `${SHOTS}/${zoom === 1 ? name : `${name}-zoom200`}.png` });
}

/** WCAG 1.4.10: content reflows, nothing needs scrolling sideways. */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

// 200 % zoom of the 920×680 window is the same layout as a 460×340 CSS-pixel viewport.
for (const [scheme, zoom] of [['light', 1], ['dark', 1], ['light', 2], ['dark', 2]] as const) {
  test(`every screen passes axe (no serious or critical violations) and is captured, ${scheme} at ${zoom * 100} %`, async ({ page, renderer, app }) => {
    // Nine axe runs and a sign-in: each run takes 3-7 s on the shared 2-core machine, so 60 s ran
    // out once the first steps got their own. Room, not a deadline.
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 920 / zoom, height: 680 / zoom });
    await page.goto(`${renderer.origin}/index.html#/settings`);
    await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
    // The first screen: the two first steps.
    await capture(page, `first-steps-${scheme}`, zoom);
    expect(await seriousViolations(page), 'first steps').toEqual([]);
    // A connection to look at, then one that needs the user (for the dialog).
    await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
    await page.getByLabel('Connection name').fill('Acme production');
    await capture(page, `connect-wizard-${scheme}`, zoom);
    expect(await seriousViolations(page), 'connect wizard').toEqual([]);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Acme production' })).toBeVisible({ timeout: 20_000 });

    for (const tab of ['Connections', 'Account', 'Refresh', 'General', 'Activity'] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await expect(page.getByRole('heading', { level: 2, name: tab })).toBeVisible();
      if (tab === 'Activity') await page.getByRole('button', { name: 'Preview diagnostics' }).click();
      await capture(page, `settings-${tab.toLowerCase()}-${scheme}`, zoom);
      expect(await seriousViolations(page), tab).toEqual([]);
      expect(await scrollsSideways(page), `${tab} scrolls sideways`).toBe(false);
    }

    const record = app.core.settings.get().connections[0]!;
    app.core.settings.update((s) => ({ ...s, connections: s.connections.map((c) => ({ ...c, status: 'needs-reauthorization' as const, statusDetail: SIGN_IN_ENDED_WORDS })) }));
    const dialog = await app.openPage(`#/dialog/${record.id}`);
    await dialog.emulateMedia({ colorScheme: scheme });
    await dialog.setViewportSize({ width: 520 / zoom, height: 560 / zoom });
    await expect(dialog.getByRole('button', { name: 'Re-authorize' })).toBeVisible();
    await capture(dialog, `dialog-${scheme}`, zoom);
    expect(await seriousViolations(dialog), 'dialog').toEqual([]);
    expect(await scrollsSideways(dialog), 'dialog scrolls sideways').toBe(false);

    const attention = await app.openPage('#/attention');
    await attention.emulateMedia({ colorScheme: scheme });
    await attention.setViewportSize({ width: 520 / zoom, height: 560 / zoom });
    await expect(attention.getByRole('heading', { level: 1 })).toHaveText('1 connection needs attention');
    await capture(attention, `attention-${scheme}`, zoom);
    expect(await seriousViolations(attention), 'attention view').toEqual([]);
    expect(await scrollsSideways(attention), 'attention view scrolls sideways').toBe(false);
  });
}

// Many connections: the compact table and the virtualized list, in both schemes and at both zooms.
for (const [scheme, zoom] of [['light', 1], ['dark', 1], ['light', 2], ['dark', 2]] as const) {
  test(`many connections: the table and the long list pass axe and reflow, ${scheme} at ${zoom * 100} %`, async ({ page, renderer, app }) => {
    addConnections(app.core, manyConnections(30, { 7: 'needs-reauthorization', 12: 'application-deleted', 20: 'retrying' }));
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 920 / zoom, height: 680 / zoom });
    await page.goto(`${renderer.origin}/index.html#/settings`);
    await expect(page.getByRole('table', { name: /^Connections/ })).toBeVisible();
    await capture(page, `connections-table-${scheme}`, zoom);
    expect(await seriousViolations(page), 'table').toEqual([]);
    expect(await scrollsSideways(page), 'table scrolls sideways').toBe(false);
    // A connection opened in place, and the table narrowed by Find.
    await page.getByRole('button', { name: 'Org 7', exact: true }).click();
    await expect(page.getByRole('group', { name: 'Org 7' }).getByRole('button', { name: 'Re-authorize' })).toBeVisible();
    await page.getByRole('searchbox').fill('org');
    await capture(page, `connections-table-opened-${scheme}`, zoom);
    expect(await seriousViolations(page), 'table with an opened connection').toEqual([]);
    expect(await scrollsSideways(page), 'opened table scrolls sideways').toBe(false);
    await page.getByRole('button', { name: 'List', exact: true }).click();
    await expect(page.getByRole('listitem', { name: 'Org 1', exact: true })).toBeVisible();
    await capture(page, `connections-list-${scheme}`, zoom);
    expect(await seriousViolations(page), 'list').toEqual([]);
    expect(await scrollsSideways(page), 'list scrolls sideways').toBe(false);
  });
}
