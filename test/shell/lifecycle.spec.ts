/** The app's lifecycle under the stand-in: instances, sleep, reset settings, quit, storage, login item, log. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../support/app-scenarios.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { callApi, connectWithTokens, expect, test, type ShellApp } from './shell-app.js';

/**
 * What a laptop's sleep looks like to the app: wall time jumps, timers (monotonic) are late. The
 * sandbox's clock is held back by the same amount so its tokens do not age.
 */
function sleepFor(shell: ShellApp, ms: number): () => void {
  const realNow = Date.now;
  Date.now = () => realNow() + ms;
  shell.sandbox.control.setClockOffset(-ms);
  return () => {
    Date.now = realNow;
    shell.sandbox.control.setClockOffset(0);
  };
}

test(SCENARIOS.secondInstance, async ({ shell }) => {
  const standIn = await shell.launch();
  const first = await shell.window('/settings');
  first.window.close();
  expect(first.window.isVisible()).toBe(false);
  standIn.app.startSecondInstance(['data2crm-tray']);
  const { window } = await shell.window('/settings');
  expect(window).toBe(first.window);
  expect(window.isFocused()).toBe(true);
});

test(SCENARIOS.quitFromWindow, async ({ shell }) => {
  const standIn = await shell.launch();
  const { page, window } = await shell.window('/settings');
  const tray = standIn.tray();
  await page.getByRole('button', { name: 'Quit Data2CRM Tray' }).click();
  await expect.poll(() => standIn.app.hasQuit).toBe(true);
  expect(tray.isDestroyed()).toBe(true);
  expect(window.isDestroyed()).toBe(true);
});

test(SCENARIOS.otherInstanceRunning, async ({ shell }) => {
  const standIn = await shell.launch({ otherInstanceRunning: true });
  expect(standIn.app.quitCount).toBe(1);
  expect(standIn.trays).toHaveLength(0);
  expect(standIn.windows).toHaveLength(0);
  // Only electron-log's channel (registered on import); no IPC bridge, no protocol.
  expect(standIn.ipcMain.channels()).toEqual(['__ELECTRON_LOG__']);
  expect(standIn.privileged).toEqual([]);
});

test(SCENARIOS.resumeReplans, async ({ shell }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  await connectWithTokens(shell, page, 'Acme');
  for (const [event, hours] of [['resume', 3], ['unlock-screen', 6]] as const) {
    const wake = sleepFor(shell, hours * 3600_000);
    try {
      shell.sandbox.control.clearRequestLog();
      standIn.electron.powerMonitor.emit(event);
      await expect.poll(() => shell.sandbox.control.requestLog().length, { message: `a check after ${event}` }).toBeGreaterThan(0);
    } finally {
      await expect.poll(() => callApi<{ connections: { busy: boolean }[] }>(page, 'getState').then((s) => s.connections[0]!.busy)).toBe(false);
      wake();
    }
  }
});

test(SCENARIOS.settingsReset, async ({ shell }) => {
  const standIn = await shell.launch({ settingsText: '{"version": 1, "connections": [' });
  expect(standIn.records.messageBoxes).toEqual([expect.objectContaining({ type: 'warning', message: 'Some settings could not be read' })]);
  expect(readdirSync(shell.userData).filter((name) => name.startsWith('settings.json.unreadable-'))).toHaveLength(1);
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  await expect(page.getByTestId('app-version')).toBeVisible();
});

test(SCENARIOS.quitStops, async ({ shell }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Settings…');
  const { page, window } = await shell.window('/settings');
  await shell.saveUserKey(page);
  await connectWithTokens(shell, page, 'Acme');
  const tray = standIn.tray();
  tray.clickMenuItem('Quit Data2CRM Tray');
  expect(standIn.app.hasQuit).toBe(true);
  expect(tray.isDestroyed()).toBe(true);
  expect(window.isDestroyed()).toBe(true);
  // Keep-alive is stopped: even a wake-up long past every due time starts no check.
  const wake = sleepFor(shell, 6 * 3600_000);
  try {
    shell.sandbox.control.clearRequestLog();
    standIn.electron.powerMonitor.emit('resume');
    // Absence shows only over time: a running scheduler starts an overdue check within its
    // stagger window (scheduler.ts, staggerMs 2 s); the resume test above sees it do so.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(shell.sandbox.control.requestLog()).toEqual([]);
  } finally {
    wake();
  }
});

test(SCENARIOS.encryptedFileFallback, async ({ shell }) => {
  const standIn = await shell.launch({ keychain: 'unavailable' });
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  expect(await callApi(page, 'getState')).toMatchObject({ storage: { kind: 'encrypted-file' } });
  await shell.saveUserKey(page);
  const tokens = await externalTokens(shell.sandbox);
  await connectWithTokens(shell, page, 'Acme');
  const file = join(shell.userData, 'secrets.enc.json');
  const stored = readFileSync(file, 'utf8');
  expect(Object.keys(JSON.parse(stored) as object).length).toBeGreaterThan(0);
  expect(stored).not.toContain(tokens.accessToken);
  expect(stored).not.toContain('sbx-user-key');
  // Readable again through safeStorage: the connection checks fine.
  standIn.tray().clickMenuItem(/^Acme —/, 'Refresh now');
  await expect.poll(() => standIn.tray().menu!.items.map((i) => i.label)).toContainEqual(expect.stringMatching(/^Acme — healthy/));
});

test(SCENARIOS.loginItem, async ({ shell }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  const autostart = join(shell.userData, 'xdg-config', 'autostart', 'data2crm-tray.desktop');
  await callApi(page, 'updateSettings', { general: { launchAtLogin: true } });
  expect(readFileSync(autostart, 'utf8')).toContain('Name=Data2CRM Tray');
  expect(await callApi(page, 'getSettings')).toMatchObject({ general: { launchAtLogin: true } });
  await callApi(page, 'updateSettings', { general: { launchAtLogin: false } });
  expect(existsSync(autostart)).toBe(false);
});

test('the log file is written under userData/logs, redacted', async ({ shell }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  const log = join(shell.userData, 'logs', 'main.log');
  await expect.poll(() => existsSync(log) && readFileSync(log, 'utf8')).toContain('started');
  expect(readFileSync(log, 'utf8')).not.toContain('sbx-user-key');
});
