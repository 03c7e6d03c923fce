/**
 * The state database as input, through the whole core (composeCore over the real SQLite store,
 * the real keychain and the sandbox): another program's lock at startup and while running (a real
 * child process) and a database a newer version wrote (a full disk: state-database-full-disk.test.ts).
 * What the user sees is asserted where they see it: the header (tray and windows), action
 * messages, one notification, one log line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import type { StorageFailureKind } from '../../main/core/state-database/storage-failure.js';
import type { Sandbox } from '../sandbox/server.js';
import { connectPasted, type ConnectHarness } from '../support/connect-harness.js';
import { composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { holdWriteLock, type HeldLock } from '../support/other-program.js';
import { makeNewerDatabase, rewriteStoredConnection, storedConnections } from '../support/state-db.js';

let sandbox: Sandbox;
let h: ConnectHarness;
let core: Core | undefined;
let lock: HeldLock | undefined;

harnessPerTest(
  (parts) => {
    ({ sandbox, h } = parts);
    core = undefined;
  },
  {
    beforeCleanup: async () => {
      core?.keepAlive.stop();
      await lock?.release();
      lock = undefined;
    },
  },
);

const connectAlpha = () => connectPasted(h, sandbox, 'Alpha');

const asideFiles = () => readdirSync(dirname(h.statePath)).filter((f) => f.includes('unreadable'));

describe('another program holding the lock at startup', () => {
  it('held 5 s: startup waits for it and loses nothing (no file moved aside)', async () => {
    const id = await connectAlpha();
    h.commitState();
    lock = await holdWriteLock(h.statePath, { forMs: 5_000 });
    let released = false;
    void lock.ended.then(() => (released = true));
    core = await composeOverHarness(h, h.store);
    expect(released).toBe(true);
    await core.secretsLoaded;
    expect(core.app.snapshot().connections).toEqual([expect.objectContaining({ id, label: 'Alpha' })]);
    expect(core.app.snapshot().stateDatabase).toBeUndefined();
    expect(core.app.snapshot().damagedDatabase).toBeUndefined();
    expect(asideFiles()).toEqual([]);
  }, 60_000);

  it('held longer: what the tray shows says why, the app keeps trying, and starts whole when the lock ends', async () => {
    const id = await connectAlpha();
    h.commitState();
    lock = await holdWriteLock(h.statePath);
    const waiting: StorageFailureKind[] = [];
    let started = false;
    const starting = composeOverHarness(h, h.store, {}, { quietForMs: 1_000, onWaiting: (problem) => waiting.push(problem) }).then((c) => ((started = true), (core = c)));
    await expect.poll(() => waiting, { timeout: 30_000 }).toEqual(['locked']);
    expect(started).toBe(false);
    await lock.release();
    lock = undefined;
    await starting;
    expect(core!.app.snapshot().connections).toEqual([expect.objectContaining({ id, label: 'Alpha' })]);
    expect(asideFiles()).toEqual([]);
    expect(h.logger.lines.filter((l) => l.message.includes('cannot be opened yet'))).toHaveLength(1);
  }, 60_000);
});

describe('another program taking the lock while the app runs', () => {
  it('a check that cannot record its result says so in the header once, is retried, and is written when the lock ends', async () => {
    const id = await connectAlpha();
    core = await composeOverHarness(h, h.store);
    await core.secretsLoaded;
    const before = storedConnections(h.statePath).find((c) => c['id'] === id)!;
    lock = await holdWriteLock(h.statePath);
    for (let i = 0; i < 3; i++) await core.app.refreshNow(id);
    core.app.flush();
    expect(core.app.snapshot()).toMatchObject({ status: 'attention', summary: '1 connection · another program is using the state database; retrying', stateDatabase: { problem: 'locked' } });
    expect(h.logger.lines.filter((l) => l.message.includes('refuses writes'))).toHaveLength(1);
    expect(h.logger.lines.filter((l) => l.message.includes('could not record a check result'))).toEqual([]);
    await lock.release();
    lock = undefined;
    await core.app.refreshNow(id);
    // A check that moved only its times is committed a moment later, on the store's timer: that commit ends the problem.
    await expect.poll(() => (core!.app.flush(), core!.app.snapshot().stateDatabase), { timeout: 10_000 }).toBeUndefined();
    expect(core.app.snapshot().summary).not.toContain('state database');
    await expect.poll(() => storedConnections(h.statePath).find((c) => c['id'] === id)!['lastVerifiedAt'], { timeout: 10_000 }).toBeGreaterThan(before['lastVerifiedAt'] as number);
    expect(h.logger.lines.filter((l) => l.message.includes('takes writes again'))).toHaveLength(1);
  }, 60_000);
});

describe('a database a newer version wrote', () => {
  it('is read, never written: the header says to update the app, nothing runs, every change is refused in plain words, one notice', async () => {
    const id = await connectAlpha();
    h.commitState();
    makeNewerDatabase(h.statePath);
    const bytes = () => readFileSync(h.statePath).toString('base64') + readFileSync(`${h.statePath}-wal`, { flag: 'a+' }).toString('base64');
    const before = bytes();
    const notices: Notice[] = [];
    core = await composeOverHarness(h, h.store, { notify: (notice) => notices.push(notice) });
    core.keepAlive.start();
    await core.secretsLoaded;
    core.app.flush();
    expect(core.app.snapshot()).toMatchObject({
      status: 'error',
      summary: '1 connection · the state database was made by a newer version of Data2CRM Tray; update the app',
      stateDatabase: { problem: 'newer' },
      paused: true,
      connections: [expect.objectContaining({ id, label: 'Alpha' })],
    });
    expect(notices).toEqual([expect.objectContaining({ title: 'Data2CRM Tray needs an update', body: 'The state database was made by a newer version of Data2CRM Tray; update the app.' })]);
    expect(core.keepAlive.nextRunAt(id)).toBeNull();
    const rename = await core.app.rename(id, 'Renamed');
    expect(rename).toEqual({ ok: false, message: 'The new name was not saved: the state database was made by a newer version of Data2CRM Tray; update the app.' });
    expect(core.app.setPaused(false)).toMatchObject({ ok: false, message: expect.stringContaining('update the app') });
    await core.app.refreshNow(id);
    expect(core.app.snapshot().connections[0]).toMatchObject({ label: 'Alpha', lastVerifiedAt: expect.any(Number) });
    expect(notices).toHaveLength(1);
    expect(bytes()).toBe(before);
  }, 60_000);

  it('leaves the newer version’s connections alone: an entry whose record it cannot read is no orphan, and nothing reaches a service', async () => {
    const unreadable = await connectAlpha();
    const readable = await connectPasted(h, sandbox, 'Beta');
    h.commitState();
    // A record of a kind this version does not know: the newer version's connection, not damage.
    rewriteStoredConnection(h.statePath, unreadable, (record) => ({ ...record, mode: 'from-the-future' }));
    makeNewerDatabase(h.statePath);
    core = await composeOverHarness(h, h.store);
    await core.secretsLoaded;
    core.app.flush();
    expect(core.app.snapshot().connections).toEqual([expect.objectContaining({ id: readable, label: 'Beta' })]);
    expect(core.app.snapshot().orphans).toEqual([]);
    sandbox.control.clearRequestLog();
    const refused = { ok: false, message: 'Nothing was changed: the state database was made by a newer version of Data2CRM Tray; update the app.' };
    expect(await core.app.deleteOrphan(unreadable)).toEqual(refused);
    expect(await core.app.recoverOrphan(unreadable)).toEqual(refused);
    expect(await core.app.registerAgain(readable)).toEqual(refused);
    const t = await externalTokens(sandbox);
    sandbox.control.clearRequestLog();
    expect(await core.app.connect({ mode: 'manual', label: 'Gamma', crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken })).toEqual(refused);
    expect(await core.app.updateTokens(readable, t.accessToken)).toEqual(refused);
    expect(sandbox.control.requestLog()).toEqual([]);
    expect(await h.store.get(`connection:${unreadable}`)).not.toBeNull();
  }, 60_000);
});
