/** The tray under the stand-in: its model, and every action it offers, as a user clicks them. */
import { SCENARIOS } from '../support/app-scenarios.js';
import { storedConnections } from '../support/state-db.js';
import { callApi, connectWithTokens, expect, test } from './shell-app.js';

test(SCENARIOS.firstStart, async ({ shell }) => {
  const standIn = await shell.launch();
  const tray = standIn.tray();
  // Nothing connected yet: the window opens by itself (a desktop without a tray still sees the app).
  const { page, window } = await shell.window('/settings');
  await expect(page.getByTestId('app-version')).toHaveText('0.1.0');
  expect(standIn.windows).toHaveLength(1);
  expect(tray.tooltip).toBe('Data2CRM Tray: No connections yet');
  expect(tray.image.path).toMatch(/resources\/tray\/\w+\.png$/);
  expect(tray.image.isEmpty()).toBe(false);
  expect(tray.menu!.find('Pause automatic refresh').enabled).toBe(false);
  // A change that leaves the menu's items as they were does not rebuild the native menu.
  const menusSet = tray.menusSet;
  await shell.saveUserKey(page);
  await expect.poll(() => callApi<{ userKey: { set: boolean } }>(page, 'getState').then((s) => s.userKey.set)).toBe(true);
  expect(tray.menusSet).toBe(menusSet);
  // Closing hides it, and a hidden window is sent nothing; the tray's Settings… brings the same
  // window back, focused, with the whole state sent once.
  await page.evaluate(() => {
    const api = (globalThis as unknown as { api: { onState(l: () => void): void } }).api;
    Object.assign(globalThis, { stateEvents: 0 });
    api.onState(() => Object.assign(globalThis, { stateEvents: (globalThis as unknown as { stateEvents: number }).stateEvents + 1 }));
  });
  const stateEvents = () => page.evaluate(() => (globalThis as unknown as { stateEvents: number }).stateEvents);
  window.close();
  expect(window.isVisible()).toBe(false);
  await shell.saveUserKey(page);
  tray.clickMenuItem('Settings…');
  await expect.poll(stateEvents).toBeGreaterThanOrEqual(1);
  await callApi(page, 'getState');
  expect(await stateEvents()).toBe(1);
  expect(window.isVisible()).toBe(true);
  expect(window.isFocused()).toBe(true);
  expect(standIn.windows).toHaveLength(1);
});

test(SCENARIOS.trayActions, async ({ shell }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Connect Salesforce org…');
  const { page, window: settings } = await shell.window('/settings');
  // It opens the connect wizard itself, not only the window.
  await expect(page.getByLabel('Connection name')).toBeVisible();
  await shell.saveUserKey(page);
  const id = await connectWithTokens(shell, page, 'Acme');
  const row = /^Acme — healthy/;
  await expect.poll(() => standIn.tray().menu!.items.map((i) => i.label)).toContainEqual(expect.stringMatching(row));
  expect(standIn.tray().image.path).toMatch(/ok\.png$/);

  // Settings… brings the hidden settings window back (one instance). While hidden it is sent no
  // activity rows either (an open log gets each row; a shown one reads the log again).
  await page.evaluate(() => {
    const api = (globalThis as unknown as { api: { onActivity(l: () => void): void } }).api;
    Object.assign(globalThis, { activityEvents: 0 });
    api.onActivity(() => Object.assign(globalThis, { activityEvents: (globalThis as unknown as { activityEvents: number }).activityEvents + 1 }));
  });
  const activityEvents = () => page.evaluate(() => (globalThis as unknown as { activityEvents: number }).activityEvents);
  const activityRows = () => callApi<unknown[]>(page, 'listActivity').then((rows) => rows.length);
  const rowsBefore = await activityRows();
  settings.close();
  expect(settings.isDestroyed()).toBe(false);
  expect(settings.isVisible()).toBe(false);
  expect(await callApi(page, 'rename', id, 'Acme (renamed while hidden)')).toMatchObject({ ok: true });
  expect(await activityRows()).toBe(rowsBefore + 1);
  expect(await activityEvents()).toBe(0);
  standIn.tray().clickMenuItem('Settings…');
  expect(settings.isVisible()).toBe(true);
  expect(standIn.windows).toHaveLength(1);
  expect(await callApi(page, 'rename', id, 'Acme')).toMatchObject({ ok: true });
  await expect.poll(activityEvents).toBe(1);

  // Refresh now reaches the sandbox.
  shell.sandbox.control.clearRequestLog();
  standIn.tray().clickMenuItem(row, 'Refresh now');
  await expect.poll(() => shell.sandbox.control.requestLog().length).toBeGreaterThan(0);

  // Copy application key → the clipboard holds the key (not shown anywhere else).
  await expect.poll(() => standIn.tray().menu!.find(row, 'Copy application key').enabled).toBe(true);
  standIn.tray().clickMenuItem(row, 'Copy application key');
  const settingsFile = () => ({ connections: storedConnections(shell.statePath()) as Array<{ id: string; applicationKey: string; instanceUrl: string }> });
  await expect.poll(() => standIn.records.clipboard).toBe(settingsFile().connections[0]!.applicationKey);

  // Open in Salesforce → the OS browser gets the instance URL.
  standIn.tray().clickMenuItem(row, 'Open in Salesforce');
  await expect.poll(() => standIn.records.openedExternally).toEqual([new URL(settingsFile().connections[0]!.instanceUrl).toString()]);

  // Paste new tokens… (Re-authorize… for a pasted-token connection) and Disconnect… open its dialog.
  standIn.tray().clickMenuItem(row, 'Paste new tokens…');
  const { page: dialog, window: dialogWindow } = await shell.window(`/dialog/${id}`);
  await expect(dialog.getByRole('heading', { name: /Acme/ })).toBeVisible();
  dialogWindow.close();
  expect(dialogWindow.isDestroyed()).toBe(true);
  standIn.tray().clickMenuItem(row, 'Disconnect…');
  await shell.window(`/dialog/${id}`);

  // Pause / Resume.
  standIn.tray().clickMenuItem('Pause automatic refresh', 'Until I resume');
  await expect.poll(() => standIn.tray().tooltip).toBe('Data2CRM Tray: Paused · 1 connection not kept alive');
  await expect.poll(() => standIn.tray().image.path).toMatch(/paused\.png$/);
  await expect.poll(() => callApi<{ paused: boolean }>(page, 'getState').then((s) => s.paused)).toBe(true);
  standIn.tray().clickMenuItem('Resume automatic refresh');
  await expect.poll(() => standIn.tray().tooltip).not.toMatch(/Paused/);
  // Pause for 1 hour pauses now (and resumes on the clock's timer).
  standIn.tray().clickMenuItem('Pause automatic refresh', 'For 1 hour');
  await expect.poll(() => callApi<{ paused: boolean }>(page, 'getState').then((s) => s.paused)).toBe(true);
  standIn.tray().clickMenuItem('Resume automatic refresh');

  // Open at login toggles the OS login item; About names the version; Help opens the help page.
  standIn.tray().clickMenuItem('Open at login');
  await expect.poll(() => standIn.tray().menu!.find('Open at login').checked).toBe(true);
  standIn.tray().clickMenuItem('About Data2CRM Tray 0.1.0');
  await expect.poll(() => standIn.records.messageBoxes.map((m) => m.message)).toContain('Data2CRM Tray 0.1.0');
  standIn.tray().clickMenuItem('Help');
  await expect.poll(() => standIn.records.openedPaths.at(-1)).toMatch(/resources\/help\/index\.html$/);

  // Quit.
  standIn.tray().clickMenuItem('Quit Data2CRM Tray');
  expect(standIn.app.hasQuit).toBe(true);
});
