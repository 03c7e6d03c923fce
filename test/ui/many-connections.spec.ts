/**
 * Issues #16 point 3 and #14 item 21 in the window: rows re-render only when their text changes,
 * long lists are virtualized (only the rows on screen are in the DOM; focus and screen readers
 * still work), and many connections get a compact, sortable table, needs-you first.
 */
import type { Page } from '@playwright/test';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';
import { addConnections, connectionRecord, manyConnections } from '../support/many-connections.js';
import { expect, test } from '../support/ui-fixtures.js';
import { showAs, variantName, VARIANTS } from '../support/ui-layout.js';

const row = (page: Page, label: string) => page.getByRole('listitem', { name: label, exact: true });
const renders = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __d2cRenders: Record<string, number> }).__d2cRenders }));

test('a minute passing re-renders only the time texts whose words changed, not their rows, and they say the new time', async ({ page, renderer, app }) => {
  const fresh = connectionRecord('Fresh');
  const hours = connectionRecord('Hours', { lastVerifiedAt: Date.now() - 3 * 3600_000 - 20 * 60_000 });
  const stuck = connectionRecord('Stuck', { status: 'needs-reauthorization', statusDetail: 'Salesforce no longer accepts this sign-in.', lastVerifiedAt: null });
  addConnections(app.core, [fresh, hours, stuck]);
  // The page counts each row's renders (render-probe.ts) and runs on a clock the test moves.
  await page.addInitScript(() => void ((window as unknown as { __d2cRenders: Record<string, number> }).__d2cRenders = {}));
  await page.clock.install();
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(row(page, 'Fresh').getByText('verified just now', { exact: true })).toBeVisible();
  await expect(row(page, 'Hours').getByText('verified 3 h ago', { exact: true })).toBeVisible();
  await expect(row(page, 'Stuck').getByText('Needs you', { exact: true })).toBeVisible();
  const before = await renders(page);
  expect(before[`row:${fresh.id}`]).toBeGreaterThan(0);
  expect(before[`time:${fresh.id}`]).toBeGreaterThan(0);

  await page.clock.fastForward(60_000);
  await expect(row(page, 'Fresh').getByText('verified 1 min ago', { exact: true })).toBeVisible();
  await row(page, 'Fresh').getByText('Details').click();
  await expect(row(page, 'Fresh').getByText(/\(1 min ago\)/)).toBeVisible();
  const after = await renders(page);
  // The probe counts each row (`row:`) and its clock-bound texts (`time:`) apart: the minute is the texts' alone.
  expect(after[`time:${fresh.id}`], 'the time texts whose words changed').toBeGreaterThan(before[`time:${fresh.id}`]!);
  expect(after[`row:${fresh.id}`], 'the row around them').toBe(before[`row:${fresh.id}`]);
  expect(after[`time:${hours.id}`], 'time texts whose words did not change').toBe(before[`time:${hours.id}`]);
  expect(after[`row:${hours.id}`]).toBe(before[`row:${hours.id}`]);
  expect(after[`time:${stuck.id}`], 'a row without a time').toBe(before[`time:${stuck.id}`]);
  expect(after[`row:${stuck.id}`]).toBe(before[`row:${stuck.id}`]);

  // A change to one row, pushed by the core as any change is, re-renders that row alone.
  const settled = await renders(page);
  await row(page, 'Stuck').getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('Still stuck');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(row(page, 'Still stuck')).toBeVisible();
  const renamed = await renders(page);
  expect(renamed[`row:${stuck.id}`]).toBeGreaterThan(settled[`row:${stuck.id}`]!);
  expect(renamed[`row:${fresh.id}`]).toBe(settled[`row:${fresh.id}`]);
  expect(renamed[`row:${hours.id}`]).toBe(settled[`row:${hours.id}`]);
  expect(renamed[`time:${fresh.id}`]).toBe(settled[`time:${fresh.id}`]);
  expect(renamed[`time:${hours.id}`]).toBe(settled[`time:${hours.id}`]);
});

test('a hidden window runs no timer: its times stay as they were until it is shown, then are true at once', async ({ page, renderer, app }) => {
  const fresh = connectionRecord('Fresh');
  addConnections(app.core, [fresh]);
  await page.addInitScript(() => void ((window as unknown as { __d2cRenders: Record<string, number> }).__d2cRenders = {}));
  await page.clock.install();
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(row(page, 'Fresh').getByText('verified just now', { exact: true })).toBeVisible();
  // Hidden as a tray app's window is when closed to the tray (the page's visibility, as Chromium reports it).
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((s) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await setVisibility('hidden');
  const hidden = await renders(page);
  await page.clock.fastForward(150_000);
  expect(await renders(page), 'nothing rendered while hidden').toEqual(hidden);
  await expect(row(page, 'Fresh').getByText('verified just now', { exact: true })).toBeVisible();
  await setVisibility('visible');
  await expect(row(page, 'Fresh').getByText('verified 2 min ago', { exact: true })).toBeVisible();
});

for (const [where, viewport] of [
  ['the content pane scrolls', { width: 920, height: 680 }],
  ['the page scrolls (200 % zoom)', { width: 460, height: 340 }],
] as const) {
  test(`a long list keeps only the rows on screen in the DOM; scrolled to, a row can be acted upon; focus stays (${where})`, async ({ page, renderer, app }) => {
    await page.setViewportSize(viewport);
    addConnections(app.core, manyConnections(40));
    await page.goto(`${renderer.origin}/index.html#/settings`);
    await page.getByRole('button', { name: 'List', exact: true }).click();
    await expect(row(page, 'Org 1')).toBeVisible();
    const items = page.locator('ul.connections > li');
    expect(await items.count()).toBeLessThan(20);
    await expect(items.first()).toHaveAttribute('aria-setsize', '40');
    await expect(row(page, 'Org 40')).toHaveCount(0);

    // Focus in the first row, then scroll to the end: the focused row stays, the last one arrives.
    const rename1 = row(page, 'Org 1').getByRole('button', { name: 'Rename' });
    await rename1.focus();
    await page.evaluate(() => {
      const pane = document.querySelector('main')!;
      if (pane.scrollHeight > pane.clientHeight) pane.scrollTop = pane.scrollHeight;
      else window.scrollTo(0, document.documentElement.scrollHeight);
    });
    await expect(row(page, 'Org 40')).toBeVisible();
    await expect(row(page, 'Org 40')).toHaveAttribute('aria-posinset', '40');
    await expect(rename1).toBeFocused();
    expect(await items.count()).toBeLessThan(20);

    await row(page, 'Org 40').getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name').fill('Last org');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(row(page, 'Last org')).toBeVisible();
    expect(app.core.settings.get().connections.at(-1)!.label).toBe('Last org');
  });
}

test('Tab walks the long list row after row, past the rows first rendered', async ({ page, renderer, app }) => {
  await page.setViewportSize({ width: 920, height: 680 });
  addConnections(app.core, manyConnections(40));
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'List', exact: true }).click();
  await row(page, 'Org 1').getByText('Details').focus();
  const initiallyRendered = await page.locator('ul.connections > li').count();
  let position = 1;
  for (let i = 0; i < 400 && position <= initiallyRendered + 2; i++) {
    await page.keyboard.press('Tab');
    position = await page.evaluate(() => Number(document.activeElement?.closest('li[aria-posinset]')?.getAttribute('aria-posinset') ?? 0));
    expect(position, 'Tab left the list').toBeGreaterThan(0);
  }
  expect(position).toBeGreaterThan(initiallyRendered + 2);
  await expect(page.locator(':focus')).toBeInViewport();
});

test('many connections open as a compact table, needs-you first; sortable; a name opens its card', async ({ page, renderer, app }) => {
  const records = manyConnections(40, { 17: 'needs-reauthorization', 33: 'application-deleted' });
  addConnections(app.core, records);
  await page.addInitScript(() => void ((window as unknown as { __d2cRenders: Record<string, number> }).__d2cRenders = {}));
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByRole('button', { name: 'Table', exact: true })).toHaveAttribute('aria-pressed', 'true');
  const table = page.getByRole('table', { name: /^Connections, sorted by/ });
  await expect(table).toHaveAccessibleName('Connections, sorted by state, needs you first');
  await expect(table).toHaveAttribute('aria-rowcount', '41');
  await expect(table.getByRole('columnheader')).toHaveText(['Name', 'User', 'Instance', 'Mode', 'State', 'Last verified'].map((t) => new RegExp(`^${t}`)));
  const rows = table.locator('tbody:not(.spacer) > tr:first-child');
  await expect(rows.nth(0)).toContainText('Org 17');
  await expect(rows.nth(0)).toContainText('Needs you');
  await expect(rows.nth(1)).toContainText('Org 33');
  await expect(rows.nth(1)).toContainText('Deleted in Data2CRM');
  await expect(rows.nth(2)).toContainText(['Org 1', 'user1@example.com', 'org1.my.salesforce.com', 'Data2CRM sign-in', 'Healthy', 'just now'].join(''));
  expect(await rows.count()).toBeLessThan(40);

  // A change to one connection re-renders its line alone.
  const before = await renders(page);
  const org2 = records[1]!;
  await app.core.app.rename(org2.id, 'Org 2 renamed');
  await expect(rows.nth(3)).toContainText('Org 2 renamed');
  const after = await renders(page);
  expect(Object.keys(after).filter((key) => after[key] !== before[key])).toEqual([`row:${org2.id}`]);

  await table.getByRole('button', { name: 'Name', exact: true }).click();
  await expect(table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.nth(0)).toContainText('Org 1');
  await table.getByRole('button', { name: 'Name', exact: true }).click();
  await expect(table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
  await expect(table).toHaveAccessibleName('Connections, sorted by name, descending');
  await expect(rows.nth(0)).toContainText('Org 40');

  // The name opens the connection's card right under its line: the table stays, sorted as it was.
  const name = table.getByRole('button', { name: 'Org 33', exact: true });
  await name.click();
  await expect(name).toHaveAttribute('aria-expanded', 'true');
  const card = table.getByRole('group', { name: 'Org 33' });
  await expect(card.getByRole('button', { name: 'Register again' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Table', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(table).toHaveAccessibleName('Connections, sorted by name, descending');
  // Escape closes it and gives the focus back to the name.
  await card.getByRole('button', { name: 'Register again' }).focus();
  await page.keyboard.press('Escape');
  await expect(card).toHaveCount(0);
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute('aria-expanded', 'false');
});

test('the table in every look: one line per org at 920 px with long values cut ("…") and whole on hover and keyboard focus; at 200 % each value whole', async ({ page, renderer, app }) => {
  const long = connectionRecord('Org 1 with a rather long name for a table', { username: 'integration.user+salesforce-emea-production@acme-corporation.example.com', instanceUrl: 'https://acme-corporation-emea-production.my.salesforce.com' });
  addConnections(app.core, [long, ...manyConnections(20).slice(1)]);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const table = page.getByRole('table', { name: /^Connections/ });
  await expect(table).toBeVisible({ timeout: 20_000 });
  const user = table.locator(`tbody[data-key="${long.id}"] td[data-label="User"]`);
  const cut = () => user.locator('.cell-text').evaluate((e) => e.scrollWidth > e.clientWidth);
  for (const variant of VARIANTS) {
    const look = variantName(variant);
    await page.mouse.move(0, 0);
    await page.locator('h2').first().click();
    await showAs(page, variant);
    await expect(user, look).toHaveAttribute('title', long.username!);
    if (variant[1] === 1) {
      const lines = await table.locator('tbody:not(.spacer) > tr').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
      const one = Math.min(...lines);
      expect(lines.filter((h) => h > one * 1.3), `${look}: rows taller than one line`).toEqual([]);
      await expect.poll(cut, `${look}: the long user is cut with "…"`).toBe(true);
      // Keyboard focus on the row's name shows its values whole.
      await page.keyboard.press('Shift');
      await table.getByRole('button', { name: long.label }).focus();
      await page.keyboard.press('Shift');
      await expect.poll(cut, `${look}: whole under keyboard focus`).toBe(false);
    } else {
      // 200 %: one labelled block per connection, every value whole.
      await expect.poll(cut, `${look}: the user is whole`).toBe(false);
      await expect(user).toBeVisible();
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1), `${look} scrolls sideways`).toBe(false);
  }
});

/** 1,000 connections: every tenth from its own app, every tenth with pasted tokens, a few needing the user. */
function thousandConnections() {
  const modes: Record<number, ConnectionRecord['mode']> = { 3: 'external', 6: 'manual' };
  const records = manyConnections(1000, { 7: 'needs-reauthorization', 12: 'application-deleted', 20: 'retrying' }).map((c, i) => ({ ...c, mode: modes[(i + 1) % 10] ?? c.mode }));
  return [...records, connectionRecord('Globex', { username: 'ops@globex.example', instanceUrl: 'https://globex--uat.sandbox.my.salesforce.com' })];
}

test('1,000 connections, every look: Find narrows the table by name, user, instance, mode or state, and the state group too; a name opens its card in the table', async ({ page, renderer, app }) => {
  test.setTimeout(180_000);
  addConnections(app.core, thousandConnections());
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const table = page.getByRole('table', { name: /^Connections/ });
  await expect(table).toBeVisible({ timeout: 30_000 });
  await expect(table).toHaveAttribute('aria-rowcount', '1002');
  const names = () => table.locator('tbody:not(.spacer) td[data-label="Name"]').allInnerTexts();
  const find = page.getByRole('searchbox');
  const count = page.getByRole('status').filter({ hasText: /connections$/ });
  const state = page.getByLabel('State');
  for (const variant of VARIANTS) {
    const look = variantName(variant);
    await showAs(page, variant);
    await find.fill('globex');
    await expect.poll(names, look).toEqual(['Globex']);
    await find.fill('ops@');
    await expect.poll(names, look).toEqual(['Globex']);
    await find.fill('uat.sandbox');
    await expect.poll(names, look).toEqual(['Globex']);
    await find.fill('user2');
    await expect(count, look).toHaveText('111 of 1,001 connections');
    // The mode, in the words the table's Mode column uses.
    await find.fill('pasted tokens');
    await expect(count, look).toHaveText('100 of 1,001 connections');
    await expect.poll(async () => (await table.locator('tbody:not(.spacer) td[data-label="Mode"]').allInnerTexts()).every((m) => m === 'Pasted tokens'), look).toBe(true);
    await find.fill('own connected app');
    await expect(count, look).toHaveText('100 of 1,001 connections');
    await find.fill('pasted user6@');
    await expect.poll(names, look).toEqual(['Org 6']);
    await find.fill('own connected user6@');
    await expect(page.getByText('No connection matches.'), look).toBeVisible();
    await find.fill('needs you');
    await expect.poll(names, look).toEqual(['Org 7']);
    await find.fill('');
    await state.selectOption({ label: 'Retrying or problem' });
    await expect.poll(names, look).toEqual(['Org 20']);
    await state.selectOption({ label: 'Needs you' });
    await expect.poll(names, look).toEqual(['Org 7', 'Org 12']);
    await find.fill('nothing like this');
    await expect(page.getByText('No connection matches.'), look).toBeVisible();
    // Escape in the search clears it.
    await find.press('Escape');
    await expect(find, look).toHaveValue('');
    await expect.poll(names, look).toEqual(['Org 7', 'Org 12']);

    // A name opens the connection's card right under its line: the table stays, filtered as it was.
    const name = table.getByRole('button', { name: 'Org 12', exact: true });
    await name.click();
    const card = table.getByRole('group', { name: 'Org 12' });
    await expect(card.getByRole('button', { name: 'Register again' }), look).toBeVisible();
    await expect(page.getByRole('button', { name: 'Table', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(count, look).toHaveText('2 of 1,001 connections');
    await card.getByRole('button', { name: 'Register again' }).focus();
    await page.keyboard.press('Escape');
    await expect(card, look).toHaveCount(0);
    await expect(name, look).toBeFocused();
    await state.selectOption({ label: 'Every state' });
    await expect(count, look).toHaveText('1,001 connections');
  }
});
