/** Every IPC channel through the real preload bundle, the stand-in's ipcMain and the real bridge. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invokeChannels } from '../../preload/contract.js';
import { SCENARIOS } from '../support/app-scenarios.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { callApi, connectWithTokens, expect, test } from './shell-app.js';

test(SCENARIOS.everyIpcChannel, async ({ shell }) => {
  const standIn = await shell.launch();
  // The bridge registers every contract channel and nothing else: electron-log's own channel is
  // closed and its preload is never injected into a session.
  expect(standIn.ipcMain.channels().sort()).toEqual(Object.keys(invokeChannels).sort());
  expect(standIn.ipcMain.listenerCount('__ELECTRON_LOG__')).toBe(0);
  expect(standIn.electron.session.defaultSession.preloadScripts).toEqual([]);
  standIn.tray().clickMenuItem('Settings…');
  const { page, window } = await shell.window('/settings');

  // Events pushed by main (deltas: the header only when it changed) reach the page's listeners through webContents.send and the preload.
  await page.evaluate(() => {
    const api = (globalThis as unknown as { api: { onState(l: (s: { header?: { paused: boolean } }) => void): () => void; onStatus(l: (s: unknown) => void): () => void } }).api;
    const seen: { header?: { paused: boolean } }[] = [];
    const statuses: unknown[] = [];
    Object.assign(globalThis, { __seen: seen, __statuses: statuses });
    api.onState((snapshot) => seen.push(snapshot));
    api.onStatus((status) => statuses.push(status));
  });

  expect(await callApi(page, 'getAppInfo')).toMatchObject({ name: 'Data2CRM Tray', version: '0.1.0' });
  await shell.saveUserKey(page);
  expect(await callApi(page, 'testUserKey')).toMatchObject({ ok: true });
  expect(await callApi(page, 'getSettings')).toMatchObject({ signIn: { with: 'app-window' } });
  expect(await callApi(page, 'updateSettings', { general: { notifications: false } })).toBeTruthy();
  // A new service address goes through main's native dialog; its default answer (Cancel) changes nothing.
  const before = standIn.records.messageBoxes.length;
  expect(await callApi(page, 'updateSettings', { endpoints: { data2crmApiBase: 'https://api.example.invalid' } })).toMatchObject({ ok: false });
  expect(standIn.records.messageBoxes.slice(before)).toEqual([expect.objectContaining({ title: 'Confirm new service address', message: expect.stringContaining('api.example.invalid') })]);
  expect(await callApi(page, 'getSettings')).not.toMatchObject({ endpoints: { data2crmApiBase: 'https://api.example.invalid' } });
  const id = await connectWithTokens(shell, page, 'Acme');
  expect(await callApi(page, 'setPaused', true)).toBeTruthy();
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __seen: { header?: { paused: boolean } }[] }).__seen.some((s) => s.header?.paused))).toBe(true);
  expect(await page.evaluate(() => (globalThis as unknown as { __statuses: unknown[] }).__statuses.length)).toBeGreaterThan(0);
  expect(await callApi(page, 'setPaused', false)).toBeTruthy();
  expect(await callApi(page, 'getState')).toMatchObject({ connections: [{ id, label: 'Acme' }] });
  expect(await callApi(page, 'rename', id, 'Acme EU')).toMatchObject({ ok: true });
  expect(await callApi(page, 'refreshNow', id)).toMatchObject({ ok: true });
  const tokens = await externalTokens(shell.sandbox);
  expect(await callApi(page, 'updateTokens', id, tokens.accessToken)).toMatchObject({ ok: true });
  expect(await callApi(page, 'snooze', id)).toHaveProperty('ok');
  expect(await callApi(page, 'registerAgain', id)).toHaveProperty('ok');
  expect(await callApi(page, 'copyApplicationKey', id)).toMatchObject({ ok: true });
  expect(standIn.records.clipboard).toMatch(/\S/);
  // The callback URL an own app must list: computed and copied by main, from the port asked for.
  expect(await callApi(page, 'copyCallbackUrl', 'loopback', 1818)).toMatchObject({ ok: true, message: 'Copied http://127.0.0.1:1818/callback' });
  expect(standIn.records.clipboard).toBe('http://127.0.0.1:1818/callback');
  expect(await callApi(page, 'copyCallbackUrl', 'custom-scheme')).toMatchObject({ ok: true });
  expect(standIn.records.clipboard).toBe('com.data2crm.tray:/oauth/callback');
  expect(await callApi(page, 'cancelSignIn')).toBeTruthy();
  expect(await callApi(page, 'listActivity')).toEqual(expect.any(Array));
  const preview = await callApi<{ json: string }>(page, 'previewDiagnostics');
  expect(preview.json).toContain('Acme EU');
  expect(preview.json).not.toContain(tokens.accessToken);
  // Cancelled in the save dialog (the stand-in's default): nothing written, no error.
  expect(await callApi(page, 'exportDiagnostics')).toBeTruthy();
  expect(standIn.records.saveDialogs).toHaveLength(1);

  // A refused call comes back as the contract's error, not a crash.
  const refused = await page.evaluate(() => (globalThis as unknown as { api: { rename(id: string, label: string): Promise<unknown> } }).api.rename('', '').then(() => null, (error: Error) => ({ name: error.name, message: error.message })));
  expect(refused).toMatchObject({ name: 'IpcCallError' });

  expect(await callApi(page, 'disconnect', id)).toMatchObject({ ok: true });
  expect(await callApi(page, 'reauthorize', 'no-such-connection')).toHaveProperty('ok', false);

  // window:close closes the focused window (the settings window hides).
  expect(existsSync(shell.settingsPath())).toBe(true);
  await callApi(page, 'closeWindow');
  expect(window.isVisible()).toBe(false);
});

test(SCENARIOS.diagnosticsExport, async ({ shell }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  await connectWithTokens(shell, page, 'Acme');
  const target = join(shell.userData, 'diagnostics.json');
  standIn.records.nextSavePath = target;
  expect(await callApi(page, 'exportDiagnostics')).toMatchObject({ ok: true });
  expect(standIn.records.saveDialogs).toEqual([expect.objectContaining({ title: 'Export diagnostics', defaultPath: expect.stringMatching(/^data2crm-tray-diagnostics-.*\.json$/) })]);
  const written = readFileSync(target, 'utf8');
  expect(JSON.parse(written)).toBeTruthy();
  expect(written).toContain('Acme');
  expect(written).not.toContain('sbx-user-key');
});
