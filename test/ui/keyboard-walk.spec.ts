/**
 * Issue #25 item 7, keyboard alone: connect → re-authorize → disconnect with the focus always
 * somewhere a person can act and always drawn; Escape closes the wizard, questions and forms;
 * Quit comes after the content in Tab order. In light and dark, at 100 % and 200 %.
 */
import type { Page } from '@playwright/test';
import { focusState, showAs, variantName, VARIANTS, type Variant } from '../support/ui-layout.js';
import { expect, test, type UiApp } from '../support/ui-fixtures.js';

/** Presses a key and checks where the focus went: never to the page, always drawn. */
async function press(page: Page, key: string, log: string[]): Promise<void> {
  await page.keyboard.press(key);
  const focus = await focusState(page);
  log.push(`${key} → ${focus.name}`);
  expect(focus.lost, `focus fell to the page after ${log.join(', ')}`).toBe(false);
  expect(focus.visible, `no focus ring on ${focus.name}`).toBe(true);
}

/** Tabs (forward or back) until the focused element is the one named. */
async function tabTo(page: Page, name: RegExp, log: string[], key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await press(page, key, log);
    if (name.test((await focusState(page)).name)) return;
  }
  throw new Error(`${name} never got the focus: ${log.slice(-8).join(', ')}`);
}

/** While an action runs, the focus stays where it was (polled until the work is done). */
async function focusHoldsUntil(page: Page, done: () => Promise<boolean>, log: string[]): Promise<void> {
  await expect
    .poll(async () => {
      const focus = await focusState(page);
      expect(focus.lost, `focus fell to the page while waiting (${log.at(-1)})`).toBe(false);
      return done();
    }, { timeout: 30_000 })
    .toBe(true);
}

const status = (app: UiApp) => app.core.settings.get().connections[0]?.status;

for (const variant of VARIANTS) {
  test(`keyboard alone: connect, re-authorize and disconnect, focus never lost and always drawn (${variantName(variant)})`, async ({ page, renderer, app }) => {
    test.setTimeout(120_000);
    await showAs(page, variant);
    await page.goto(`${renderer.origin}/index.html#/settings`);
    await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
    const log: string[] = [];

    // Connect: the wizard opens with the focus on the way to connect; Enter on Connect signs in.
    await tabTo(page, /^button Connect Salesforce org…$/, log);
    await press(page, 'Enter', log);
    await expect(page.getByRole('radio', { name: /^Data2CRM sign-in/ })).toBeFocused();
    await tabTo(page, /^input Connection name$/, log);
    await page.keyboard.type('Keyboard org');
    await tabTo(page, /^button Connect$/, log);
    await press(page, 'Enter', log);
    await focusHoldsUntil(page, async () => status(app) === 'healthy', log);
    // The wizard closed: the focus is back where it was opened from.
    await expect(page.getByRole('button', { name: 'Connect Salesforce org…' })).toBeFocused();
    expect((await focusState(page)).visible).toBe(true);

    // Re-authorize from the card: the button keeps the focus while the sign-in runs and after.
    app.core.settings.update((s) => ({ ...s, connections: s.connections.map((c) => ({ ...c, status: 'needs-reauthorization' as const, statusDetail: 'Salesforce no longer accepts this sign-in.' })) }));
    app.core.app.changed();
    const card = page.getByRole('listitem', { name: 'Keyboard org' });
    await expect(card.getByText('Needs you', { exact: true })).toBeVisible();
    await tabTo(page, /^button Re-authorize$/, log);
    await press(page, 'Enter', log);
    await focusHoldsUntil(page, async () => status(app) === 'healthy', log);
    await expect(card.getByRole('button', { name: 'Re-authorize' })).toBeFocused();

    // Disconnect: the question takes the focus on its safe answer; the answer that acts is one
    // Shift+Tab away; when the card goes, the focus goes to what comes next.
    await tabTo(page, /^button Disconnect…$/, log);
    await press(page, 'Enter', log);
    await expect(card.getByRole('button', { name: 'Keep it' })).toBeFocused();
    await press(page, 'Shift+Tab', log);
    await expect(card.getByRole('button', { name: 'Yes, disconnect' })).toBeFocused();
    await press(page, 'Enter', log);
    await focusHoldsUntil(page, async () => app.core.settings.get().connections.length === 0, log);
    await expect(page.getByRole('button', { name: 'Connect Salesforce org…' })).toBeFocused();
    expect((await focusState(page)).visible).toBe(true);
  });
}

async function keyboardStart(page: Page, origin: string, variant: Variant = VARIANTS[0]) {
  await showAs(page, variant);
  await page.goto(`${origin}/index.html#/settings`);
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  // Keyboard use from here on: the focus ring shows (as after any key).
  await page.keyboard.press('Shift');
}

test('Escape closes the wizard, the Disconnect question and the rename form, and gives the focus back', async ({ page, renderer, app }) => {
  await keyboardStart(page, renderer.origin);
  const log: string[] = [];
  await tabTo(page, /^button Connect Salesforce org…$/, log);
  await press(page, 'Enter', log);
  await expect(page.getByRole('heading', { name: 'Connect a Salesforce org' })).toBeVisible();
  await tabTo(page, /^input Connection name$/, log);
  await press(page, 'Escape', log);
  await expect(page.getByRole('heading', { name: 'Connect a Salesforce org' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Connect Salesforce org…' })).toBeFocused();

  const { addConnections, manyConnections } = await import('../support/many-connections.js');
  addConnections(app.core, manyConnections(1));
  const card = page.getByRole('listitem', { name: 'Org 1' });
  await expect(card).toBeVisible();
  await tabTo(page, /^button Disconnect…$/, log);
  await press(page, 'Enter', log);
  await expect(card.getByRole('group', { name: 'Confirm disconnecting Org 1' })).toBeVisible();
  await press(page, 'Escape', log);
  await expect(card.getByRole('group', { name: 'Confirm disconnecting Org 1' })).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Disconnect…' })).toBeFocused();

  await tabTo(page, /^button Rename Org 1$/, log, 'Shift+Tab');
  await press(page, 'Enter', log);
  await expect(card.getByLabel('New name')).toBeFocused();
  await page.keyboard.type(' (typo)');
  await press(page, 'Escape', log);
  await expect(card.getByLabel('New name')).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Rename Org 1' })).toBeFocused();
  expect(app.core.settings.get().connections[0]!.label).toBe('Org 1');
});

test('Quit comes after the content in Tab order: tabs, then the section, then Quit', async ({ page, renderer, app }) => {
  void app;
  await keyboardStart(page, renderer.origin);
  const order: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    order.push((await focusState(page)).name);
  }
  const quit = order.findIndex((n) => /Quit Data2CRM Tray/.test(n));
  const connect = order.findIndex((n) => /Connect Salesforce org…/.test(n));
  expect(order[0]).toMatch(/^tab Connections/);
  expect(connect, order.join(' | ')).toBeGreaterThan(0);
  expect(quit, order.join(' | ')).toBeGreaterThan(connect);
});

test('the dialog: Escape closes its Disconnect question and then the dialog itself', async ({ page, renderer, app }) => {
  void page;
  void renderer;
  const { addConnections, manyConnections } = await import('../support/many-connections.js');
  addConnections(app.core, manyConnections(1, { 1: 'needs-reauthorization' }));
  const id = app.core.settings.get().connections[0]!.id;
  const dialog = await app.openPage(`#/dialog/${id}`);
  await expect(dialog.getByRole('button', { name: 'Re-authorize' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Disconnect…' }).focus();
  await dialog.keyboard.press('Enter');
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await dialog.keyboard.press('Escape');
  await expect(dialog.getByRole('button', { name: 'Disconnect…' })).toBeFocused();
  expect(app.closed).toBe(0);
  await dialog.keyboard.press('Escape');
  await expect.poll(() => app.closed).toBe(1);
  expect(app.core.settings.get().connections).toHaveLength(1);
});
