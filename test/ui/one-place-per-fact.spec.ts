/**
 * Issue #25 item 8: a button's label never breaks over lines, on any screen; a message never
 * pushes a card's buttons around; a card says its trouble once (the badge names the state, the
 * reason is said beside it, nowhere else in the card). In light and dark, at 100 % and 200 %.
 */
import type { Locator, Page } from '@playwright/test';
import { addConnections, manyConnections } from '../support/many-connections.js';
import { connectInternal } from '../support/ui-actions.js';
import { brokenButtonLabels, DIALOG_SIZE, showAs, variantName, VARIANTS } from '../support/ui-layout.js';
import { expect, test, type UiApp } from '../support/ui-fixtures.js';

const REASON = 'Data2CRM is not answering for the moment.';

/** One connection working, one retrying with a reason (as keep-alive leaves it after a failed check). */
async function twoConnections(page: Page, app: UiApp) {
  await connectInternal(page, 'Acme production');
  await connectInternal(page, 'Globex sandbox');
  app.core.settings.update((s) => ({ ...s, connections: s.connections.map((c) => (c.label === 'Globex sandbox' ? { ...c, status: 'retrying' as const, statusDetail: REASON } : c)) }));
  app.core.app.changed();
  await expect(page.getByRole('listitem', { name: 'Globex sandbox' }).getByText('Retrying', { exact: true })).toBeVisible();
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** The boxes of a card's buttons, to see whether anything moved them. */
const buttonBoxes = (card: Locator) =>
  card.locator('.row-actions button').evaluateAll((buttons) =>
    buttons.map((b) => {
      const r = b.getBoundingClientRect();
      const c = b.closest('li')!.getBoundingClientRect();
      return `${b.textContent}@${Math.round(r.x - c.x)},${Math.round(r.y - c.y)}`;
    }),
  );

for (const variant of VARIANTS) {
  test(`no button label breaks over lines, on any screen (${variantName(variant)})`, async ({ page, renderer, app }) => {
    test.setTimeout(120_000);
    await showAs(page, variant);
    await page.goto(`${renderer.origin}/index.html#/settings`);
    await twoConnections(page, app);
    const seen: Record<string, string[]> = {};
    seen['connections'] = await brokenButtonLabels(page);
    for (const way of ['Data2CRM sign-in', 'Own connected app', 'Paste tokens']) {
      if (way === 'Data2CRM sign-in') await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
      await page.getByRole('radio', { name: new RegExp(`^${way}`) }).check();
      seen[`wizard: ${way}`] = await brokenButtonLabels(page);
    }
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    for (const tab of ['Account', 'Refresh', 'General', 'Activity'] as const) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Account') await page.getByText('Advanced: service addresses').click();
      seen[tab] = await brokenButtonLabels(page);
    }
    const globex = app.core.settings.get().connections.find((c) => c.label === 'Globex sandbox')!;
    const dialog = await app.openPage(`#/dialog/${globex.id}`);
    await showAs(dialog, variant, DIALOG_SIZE);
    await expect(dialog.getByRole('button', { name: 'Retry now' })).toBeVisible();
    seen['dialog'] = await brokenButtonLabels(dialog);
    addConnections(app.core, manyConnections(20));
    await page.getByRole('tab', { name: 'Connections' }).click();
    await expect(page.getByRole('table', { name: /^Connections/ })).toBeVisible();
    seen['table'] = await brokenButtonLabels(page);
    expect(Object.fromEntries(Object.entries(seen).filter(([, broken]) => broken.length > 0))).toEqual({});
  });

  test(`a card says its trouble once, and its message never moves its buttons (${variantName(variant)})`, async ({ page, renderer, app }) => {
    test.setTimeout(120_000);
    await showAs(page, variant);
    await page.goto(`${renderer.origin}/index.html#/settings`);
    await twoConnections(page, app);
    const card = page.getByRole('listitem', { name: 'Globex sandbox' });
    // The badge names the state; the reason is said beside it, once; the state's own words are not repeated.
    await expect(card.locator('.state-line')).toContainText(REASON);
    expect(occurrences(await card.innerText(), REASON)).toBe(1);
    expect(occurrences((await card.innerText()).toLowerCase(), 'retrying')).toBe(1);

    // Retry now fails the same way: the card already says it; nothing is added, nothing moves.
    const before = await buttonBoxes(card);
    app.sandbox.control.fault({ route: 'd2c.application.get', fault: { kind: 'status', status: 503, retryAfter: '600' }, remaining: 100 });
    const detail = () => app.core.settings.get().connections.find((c) => c.label === 'Globex sandbox')!.statusDetail;
    await card.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(detail, { timeout: 20_000 }).not.toBe(REASON);
    await expect(card.getByRole('button', { name: 'Refresh now' })).not.toHaveAttribute('aria-busy', 'true', { timeout: 20_000 });
    const reason = detail()!;
    await expect(card.locator('.state-line')).toContainText(reason);
    expect(occurrences(await card.innerText(), reason)).toBe(1);
    await expect(card.getByRole('alert')).toHaveCount(0);
    expect(await buttonBoxes(card)).toEqual(before);

    // A message of its own ("copied") comes on the card's message line, under the buttons.
    const acme = page.getByRole('listitem', { name: 'Acme production' });
    const acmeBefore = await buttonBoxes(acme);
    await acme.getByRole('button', { name: 'Copy application key' }).click();
    await expect(acme.locator('.card-message')).toHaveText('Application key copied.');
    expect(await buttonBoxes(acme)).toEqual(acmeBefore);

    // The dialog says it once too: no second sentence, no "Now: …" line repeating the state.
    const globex = app.core.settings.get().connections.find((c) => c.label === 'Globex sandbox')!;
    const dialog = await app.openPage(`#/dialog/${globex.id}`);
    await showAs(dialog, variant, DIALOG_SIZE);
    await expect(dialog.getByRole('button', { name: 'Retry now' })).toBeVisible();
    const text = await dialog.locator('main').innerText();
    expect(occurrences(text, reason)).toBe(1);
    expect(occurrences(text.toLowerCase(), 'retrying')).toBe(1);
    expect(text).not.toMatch(/Now: /);
  });
}

test('the dialog of pasted tokens that died says what to do once', async ({ page, renderer, app }) => {
  void page;
  void renderer;
  addConnections(app.core, [{ ...manyConnections(1)[0]!, mode: 'manual', status: 'needs-reauthorization', statusDetail: 'The pasted access token no longer works. Paste new tokens.' }]);
  const id = app.core.settings.get().connections[0]!.id;
  const dialog = await app.openPage(`#/dialog/${id}`);
  await expect(dialog.getByText('Needs new tokens', { exact: true })).toBeVisible();
  const text = await dialog.locator('main').innerText();
  expect(occurrences(text, 'no longer works')).toBe(1);
  expect(occurrences(text, 'Paste new tokens.')).toBe(1);
  // The form to fix it is open at once (the notification led here for it).
  await expect(dialog.getByLabel('New access token')).toBeVisible();
});
