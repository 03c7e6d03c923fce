/**
 * Issue #25 item 13, layout: the content starts near the top at 200 %, the dialog's actions are in
 * view, activity dates stay on one line, no row shows above the table's sticky header, crossing
 * into the narrow layout keeps what a person had begun, and the name field holds no megabytes.
 */
import { addConnections, connectionRecord, manyConnections } from '../support/many-connections.js';
import { DIALOG_SIZE, showAs, variantName, VARIANTS } from '../support/ui-layout.js';
import { expect, test } from '../support/ui-fixtures.js';

for (const variant of VARIANTS) {
  test(`the section starts near the top and the dialog's fix is in view without scrolling (${variantName(variant)})`, async ({ page, renderer, app }) => {
    addConnections(app.core, [connectionRecord('Org 1', { status: 'needs-reauthorization', statusDetail: 'Salesforce no longer accepts this sign-in: it expired or was revoked.' })]);
    await showAs(page, variant);
    await page.goto(`${renderer.origin}/index.html#/settings`);
    const heading = page.getByRole('heading', { level: 2, name: 'Connections' });
    await expect(heading).toBeVisible();
    const { height } = page.viewportSize()!;
    // Header and tabs take at most a third of the window, whatever the zoom.
    expect((await heading.boundingBox())!.y).toBeLessThan(height / 3);
    await expect(page.getByRole('listitem', { name: 'Org 1' }).getByRole('button', { name: 'Re-authorize' })).toBeInViewport();

    const id = app.core.settings.get().connections[0]!.id;
    const dialog = await app.openPage(`#/dialog/${id}`);
    await showAs(dialog, variant, DIALOG_SIZE);
    const fix = dialog.getByRole('button', { name: 'Re-authorize' });
    await expect(fix).toBeVisible();
    expect(await dialog.evaluate(() => window.scrollY)).toBe(0);
    await expect(fix).toBeInViewport({ ratio: 1 });
  });
}

test('activity dates stay on one line, at 100 % and 200 %', async ({ page, renderer, app }) => {
  addConnections(app.core, manyConnections(1));
  await app.core.app.rename(app.core.settings.get().connections[0]!.id, 'Renamed org');
  for (const variant of [VARIANTS[0], VARIANTS[2]]) {
    await showAs(page, variant);
    await page.goto(`${renderer.origin}/index.html#/settings`);
    await page.getByRole('tab', { name: 'Activity' }).click();
    const date = page.locator('table.activity tbody tr').first().locator('td').first();
    await expect(date).toBeVisible();
    const lines = await date.evaluate((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    expect(lines, variantName(variant)).toBe(1);
  }
});

test('no row shows above the sticky table header while the table scrolls', async ({ page, renderer, app }) => {
  addConnections(app.core, manyConnections(40));
  await showAs(page, VARIANTS[0]);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByRole('table', { name: /^Connections/ })).toBeVisible({ timeout: 20_000 });
  await page.evaluate(() => (document.querySelector('main')!.scrollTop = 600));
  await expect
    .poll(() =>
      page.evaluate(() => {
        const pane = document.querySelector('main')!.getBoundingClientRect();
        const header = document.querySelector('.connections-table thead th')!.getBoundingClientRect();
        // Every point between the pane's top edge and the header's top belongs to no row.
        const x = header.left + 20;
        const rowsAbove = [];
        for (let y = pane.top + 1; y < header.top; y += 2) if (document.elementFromPoint(x, y)?.closest('tbody:not(.spacer)')) rowsAbove.push(y);
        return { gap: Math.round(header.top - pane.top), rowsAbove: rowsAbove.length };
      }),
    )
    .toEqual({ gap: 0, rowsAbove: 0 });
});

test('crossing into the narrow layout keeps an open Disconnect question and a half-typed token', async ({ page, renderer, app }) => {
  addConnections(app.core, [connectionRecord('Pasted org', { mode: 'manual' })]);
  await showAs(page, VARIANTS[0]);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const card = page.getByRole('listitem', { name: 'Pasted org' });
  await card.getByRole('button', { name: 'Paste new tokens…' }).click();
  await card.getByLabel('New access token').fill('00Dhalf-typed');
  await card.getByRole('button', { name: 'Disconnect…' }).click();
  await expect(card.getByRole('group', { name: 'Confirm disconnecting Pasted org' })).toBeVisible();
  for (const variant of [VARIANTS[2], VARIANTS[0], VARIANTS[2]]) {
    await showAs(page, variant);
    await expect(card.getByRole('group', { name: 'Confirm disconnecting Pasted org' }), variantName(variant)).toBeVisible();
    await expect(card.getByLabel('New access token')).toHaveValue('00Dhalf-typed');
  }
  expect(app.core.settings.get().connections).toHaveLength(1);
});

test('the wizard’s name field holds one character over the limit, and says so, not 5 MB', async ({ page, renderer, app }) => {
  void app;
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  const name = page.getByLabel('Connection name');
  await name.fill('x'.repeat(5 * 1024 * 1024));
  expect((await name.inputValue()).length).toBe(101);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByText('Keep the name under 100 characters.')).toBeVisible();
});
