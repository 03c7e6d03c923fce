/** The state database as main/index.ts opens it: another program's lock at startup, and file modes. */
import { chmodSync, copyFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../support/app-scenarios.js';
import { holdWriteLock } from '../support/other-program.js';
import { STATE_DB_0_1_0 } from '../support/state-db.js';
import { callApi, expect, test } from './shell-app.js';

const header = (items: ReadonlyArray<{ label: string }> | undefined) => items?.[0]?.label;

test(SCENARIOS.stateDatabaseLocked, async ({ shell }) => {
  // The database a user of 0.1.0 has, with three connections; another program holds its write lock.
  copyFileSync(STATE_DB_0_1_0, shell.statePath());
  const lock = await holdWriteLock(shell.statePath());
  let released = false;
  try {
    const standIn = await shell.launch();
    const tray = standIn.tray();
    expect(tray.tooltip).toBe('Data2CRM Tray: Starting: another program is using the state database; retrying');
    expect(header(tray.menu?.items)).toBe('Starting: another program is using the state database; retrying');
    expect(tray.menu?.items.map((i) => i.label).filter(Boolean)).toEqual(['Starting: another program is using the state database; retrying', 'Help', expect.stringMatching(/^About Data2CRM Tray /), 'Quit Data2CRM Tray']);
    expect(standIn.notifications.map((n) => n.options.title)).toEqual(['Data2CRM Tray is waiting to start']);
    await lock.release();
    released = true;
    // The app keeps trying: once the lock ends it starts with every connection.
    await expect.poll(() => header(standIn.tray().menu?.items), { timeout: 30_000 }).toMatch(/3 connections/);
    expect(standIn.trays).toHaveLength(1);
    expect(standIn.tray().menu?.items.map((i) => i.label)).toEqual(expect.arrayContaining([expect.stringMatching(/^Acme \(internal\) — /), expect.stringMatching(/^Globex \(own app\) — /)]));
    expect(readdirSync(shell.userData).filter((name) => name.includes('unreadable'))).toEqual([]);
  } finally {
    if (!released) await lock.release();
  }
});

test(SCENARIOS.privateFiles, async ({ shell }) => {
  // As an earlier version (or a copy) left them: readable by every user of the machine.
  chmodSync(shell.userData, 0o755);
  copyFileSync(STATE_DB_0_1_0, shell.statePath());
  chmodSync(shell.statePath(), 0o644);
  const standIn = await shell.launch();
  const mode = (name: string) => (statSync(join(shell.userData, name)).mode & 0o777).toString(8);
  expect(mode('.')).toBe('700');
  expect(mode('settings.json')).toBe('600');
  expect(mode('state.db')).toBe('600');
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  // Written again by the app (electron-store writes a new file and renames it): still the user's alone.
  expect(await callApi(page, 'updateSettings', { general: { notifications: false } })).toMatchObject({ ok: true });
  expect(mode('settings.json')).toBe('600');
  expect([mode('state.db-wal'), mode('state.db-shm')]).toEqual(['600', '600']);
});
