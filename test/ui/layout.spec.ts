/**
 * Issue #25 item 13, layout: the content starts near the top at 200 %, the dialog's actions are in
 * view, activity dates stay on one line, no row shows above the table's sticky header, crossing
 * into the narrow layout keeps what a person had begun, and the name field holds no megabytes.
 */
import { addConnections, connectionRecord, manyConnections } from '../support/many-connections.js';
import { SIGN_IN_ENDED_WORDS } from '../support/stored-failure-words.js';
import { DIALOG_SIZE, showAs, variantName, VARIANTS } from '../support/ui-layout.js';
import { expect, test } from '../support/ui-fixtures.js';

test('in every look, the section starts near the top and the dialog\'s fix is in view without scrolling', async ({ page, renderer, app }) => {
  addConnections(app.core, [connectionRecord('Org 1', { status: 'needs-reauthorization', statusDetail: SIGN_IN_ENDED_WORDS })]);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const id = app.core.settings.get().connections[0]!.id;
  const dialog = await app.openPage(`#/dialog/${id}`);
  for (const variant of VARIANTS) {
    const look = variantName(variant);
    await showAs(page, variant);
    await page.reload();
    const heading = page.getByRole('heading', { level: 2, name: 'Connections' });
    await expect(heading, look).toBeVisible();
    const { height } = page.viewportSize()!;
    // Header and tabs take at most a third of the window, whatever the zoom.
    expect((await heading.boundingBox())!.y, look).toBeLessThan(height / 3);
    await expect(page.getByRole('listitem', { name: 'Org 1' }).getByRole('button', { name: 'Re-authorize' }), look).toBeInViewport();

    await showAs(dialog, variant, DIALOG_SIZE);
    await dialog.reload();
    const fix = dialog.getByRole('button', { name: 'Re-authorize' });
    await expect(fix, look).toBeVisible();
    expect(await dialog.evaluate(() => window.scrollY), look).toBe(0);
    await expect(fix, look).toBeInViewport({ ratio: 1 });
  }
});

test('activity dates stay on one line, in every look', async ({ page, renderer, app }) => {
  addConnections(app.core, manyConnections(1));
  await app.core.app.rename(app.core.settings.get().connections[0]!.id, 'Renamed org');
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('tab', { name: 'Activity' }).click();
  for (const variant of VARIANTS) {
    await showAs(page, variant);
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

test('no row shows above the table header while the table scrolls, in every look', async ({ page, renderer, app }) => {
  addConnections(app.core, manyConnections(40));
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByRole('table', { name: /^Connections/ })).toBeVisible({ timeout: 20_000 });
  for (const variant of VARIANTS) {
    await showAs(page, variant);
    // Scrolled well into the rows, in whatever scrolls at this size (the content pane, or the page at 200 %).
    await page.evaluate(() => {
      const pane = document.querySelector('main')!;
      pane.scrollTop = 0;
      window.scrollTo(0, 0);
      if (pane.scrollHeight > pane.clientHeight) pane.scrollTop = 600;
      else window.scrollTo(0, 600);
    });
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const pane = document.querySelector('main')!;
            const scrollsItself = pane.scrollHeight > pane.clientHeight;
            const top = scrollsItself ? pane.getBoundingClientRect().top : 0;
            const header = document.querySelector('.connections-table thead th')!.getBoundingClientRect();
            const sticky = getComputedStyle(document.querySelector('.connections-table thead th')!).position === 'sticky';
            // Every point between the top of what scrolls and the header's top belongs to no row.
            const x = header.left + 20;
            const rowsAbove = [];
            for (let y = Math.max(top, 0) + 1; y < header.top; y += 2) if (document.elementFromPoint(x, y)?.closest('tbody:not(.spacer)')) rowsAbove.push(y);
            // A header that stays put is flush with the pane's top; one that scrolls away with the rows is out of view.
            return { inPlace: sticky ? Math.round(header.top - top) === 0 : header.bottom <= 0, rowsAbove: rowsAbove.length };
          }),
        { message: variantName(variant) },
      )
      .toEqual({ inPlace: true, rowsAbove: 0 });
  }
});

test('crossing into the narrow layout and back, in every look, keeps an open Disconnect question and a half-typed token', async ({ page, renderer, app }) => {
  addConnections(app.core, [connectionRecord('Pasted org', { mode: 'manual' })]);
  await showAs(page, VARIANTS[0]);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  const card = page.getByRole('listitem', { name: 'Pasted org' });
  await card.getByRole('button', { name: 'Paste new tokens…' }).click();
  await card.getByLabel('New access token').fill('00Dhalf-typed');
  await card.getByRole('button', { name: 'Disconnect…' }).click();
  await expect(card.getByRole('group', { name: 'Confirm disconnecting Pasted org' })).toBeVisible();
  // Across the narrow layout and back, in both colour schemes: every look.
  for (const variant of [VARIANTS[2], VARIANTS[1], VARIANTS[3], VARIANTS[0]]) {
    await showAs(page, variant);
    await expect(card.getByRole('group', { name: 'Confirm disconnecting Pasted org' }), variantName(variant)).toBeVisible();
    await expect(card.getByLabel('New access token')).toHaveValue('00Dhalf-typed');
  }
  expect(app.core.settings.get().connections).toHaveLength(1);
});

test('the wizard’s name field holds one character over the limit, and says so, not 5 MB, in every look', async ({ page, renderer, app }) => {
  void app;
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  const name = page.getByLabel('Connection name');
  const tooLong = 'x'.repeat(5 * 1024 * 1024);
  for (const variant of VARIANTS) {
    const look = variantName(variant);
    await showAs(page, variant);
    await name.fill(tooLong);
    expect((await name.inputValue()).length, look).toBe(101);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByText('Keep the name under 100 characters.'), look).toBeVisible();
    await expect(page.getByText('Keep the name under 100 characters.'), look).toBeInViewport();
    await name.fill('');
  }
});
