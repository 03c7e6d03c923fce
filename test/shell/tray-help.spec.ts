/** Issue #25 items 9 and 15: the tray's Help opens the user's help page; the tray offers each trouble's fix. */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SCENARIOS } from '../support/app-scenarios.js';
import { seriousViolations } from '../support/axe.js';
import { storedConnections } from '../support/state-db.js';
import { callApi, connectWithTokens, expect, test } from './shell-app.js';

test(SCENARIOS.helpPage, async ({ shell, browser }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Help');
  await expect.poll(() => standIn.records.openedPaths.length).toBe(1);
  const opened = standIn.records.openedPaths[0]!;
  expect(opened).toMatch(/resources\/help\/index\.html$/);
  expect(existsSync(opened)).toBe(true);
  // What the system's browser shows: the user's page (no npm commands), readable and axe-clean.
  // axe needs a page of a context of its own.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(pathToFileURL(opened).toString());
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data2CRM Tray: Help');
    await expect(page.getByRole('heading', { name: 'What each state means, and what to do' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Your own Salesforce app' })).toBeVisible();
    expect(await page.locator('body').innerText()).not.toMatch(/npm (?:test|start|run)/);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousViolations(page), scheme).toEqual([]);
    }
  } finally {
    await context.close();
  }
});

test(SCENARIOS.trayFixes, async ({ shell }) => {
  const standIn = await shell.launch();
  const { page, window: settings } = await shell.window('/settings');
  await shell.saveUserKey(page);
  const longName = 'Acme Corporation Europe Middle East and Africa production org (billing, invoices)';
  const id = await connectWithTokens(shell, page, longName);
  settings.close();
  // A 100-character name is shortened in the menu, at a word, with its state still in view.
  // (A row that needs the user starts with ⚠.)
  const row = /^(⚠ )?Acme Corporation Europe Middle East and… — /;
  await expect.poll(() => standIn.tray().menu!.items.map((i) => i.label)).toContainEqual(expect.stringMatching(row));

  // The application is deleted in Data2CRM: its row's first item registers it again (its dialog).
  const key = storedConnections(shell.statePath())[0]!['applicationKey'] as string;
  shell.sandbox.state.applications.delete(key);
  standIn.tray().clickMenuItem(row, 'Refresh now');
  await expect.poll(() => standIn.tray().menu!.find(row).submenu?.items[0]?.label, { timeout: 15_000 }).toBe('Register again…');
  standIn.tray().clickMenuItem(row, 'Register again…');
  const { page: dialog } = await shell.window(`/dialog/${id}`);
  await dialog.getByRole('button', { name: 'Register again' }).click();
  await expect.poll(() => callApi<{ connections: Array<{ status: string }> }>(page, 'getState').then((s) => s.connections[0]!.status), { timeout: 15_000 }).toBe('healthy');

  // Data2CRM stops accepting the user key: the fix is right under the header, and opens Account.
  expect(standIn.tray().menu!.items.some((i) => i.label === 'Replace user key…')).toBe(false);
  shell.sandbox.state.userKeys.clear();
  standIn.tray().clickMenuItem(row, 'Refresh now');
  await expect.poll(() => standIn.tray().menu!.items[1]?.label, { timeout: 15_000 }).toBe('Replace user key…');
  standIn.tray().clickMenuItem('Replace user key…');
  const { page: account } = await shell.window('/settings/account');
  await expect(account.getByRole('tab', { name: 'Account', selected: true })).toBeVisible();
});
