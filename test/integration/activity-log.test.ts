import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { ACTIVITY_RETENTION_MS, COALESCED_WRITE_EVERY_MS, createActivityLog } from '../../main/core/keepalive/activity-log.js';
import type { ConnectionEvent } from '../../main/core/keepalive/events.js';
import type { StateStore } from '../../main/core/ports.js';
import { stateDbText } from '../support/state-db.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-activity-'));
});
afterEach(async () => {
  for (const store of stores) await store.close();
  stores = [];
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 24 * 3600 * 1000;
let stores: StateStore[] = [];
/** A new store on the file; the ones before it committed what waited in their commit window, as quitting does. */
const state = () => {
  for (const earlier of stores) earlier.commit();
  const store = createSqliteStateStore(join(dir, 'state.db'));
  stores.push(store);
  return store;
};
const legacyFile = () => createStoreSettingsFile(join(dir, 'activity.json'), () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'activity' }));
const open = (now = 0) => createActivityLog(state(), () => now);
const TOKEN = '00D5g000004ABCD!ARQAQK9x8fJ2mV7yYqLkC0jPzQeTn4sWbHdGuRiOa1Xv';
const event = (at: number, change: Partial<ConnectionEvent> = {}): ConnectionEvent => ({ kind: 'status', connectionId: 'a', label: 'Acme', at, from: 'healthy', to: 'retrying', detail: null, consecutiveFailures: 1, ...change });
const renewal = (at: number, connectionId = 'a') => event(at, { kind: 'renewed', connectionId, from: 'healthy', to: 'healthy' });

describe('activity log', () => {
  it('appends one row per event, shows the newest 500, persists across a reopen, and is redacted', () => {
    const log = open();
    for (let i = 0; i < 620; i++) log.append(event(i, { detail: `attempt ${i} with ${TOKEN}` }));
    expect(log.entries()).toHaveLength(500);
    expect(log.entries()[0]?.at).toBe(120);
    const reopened = open(620);
    expect(reopened.entries()).toHaveLength(500);
    expect(reopened.entries().at(-1)?.message).toBe('attempt 619 with [redacted]');
    expect(stateDbText(join(dir, 'state.db'))).not.toContain('ARQAQK9x8');
  });

  it('coalesces routine renewals of one connection into one row until something else happens to it', () => {
    const log = open();
    for (let i = 0; i < 50; i++) log.append(renewal(i * 60_000));
    log.append(renewal(49 * 60_000 + 30, 'b'));
    expect(log.entries().map((e) => [e.connectionId, e.at])).toEqual([['a', 49 * 60_000], ['b', 49 * 60_000 + 30]]);
    log.append(event(50 * 60_000));
    log.append(renewal(51 * 60_000));
    expect(open(52 * 60_000).entries().map((e) => [e.connectionId, e.kind])).toEqual([['a', 'renewed'], ['b', 'renewed'], ['a', 'status'], ['a', 'renewed']]);
    expect(state().recentActivity(10).find((row) => row.connectionId === 'a')?.repeats).toBe(50);
  });

  it('writes a coalesced count again at most every 6 hours (each rewrite moves the row in the time index), and in full when the row ends or at flush', () => {
    const MIN = 60_000;
    const log = open();
    const stored = () => state().recentActivity(10).filter((row) => row.connectionId === 'a').map((row) => [row.at, row.repeats, row.kind]);
    for (let i = 0; i < 20; i++) log.append(renewal(i * 15 * MIN));
    // The window shows every renewal; the store has the row as first written.
    expect(log.entries().map((e) => [e.at, e.repeats])).toEqual([[19 * 15 * MIN, 20]]);
    expect(stored()).toEqual([[0, 1, 'renewed']]);
    // Six hours after its last write, the next renewal writes it again.
    log.append(renewal(COALESCED_WRITE_EVERY_MS));
    expect(stored()).toEqual([[COALESCED_WRITE_EVERY_MS, 21, 'renewed']]);
    log.append(renewal(COALESCED_WRITE_EVERY_MS + 15 * MIN));
    log.append(renewal(COALESCED_WRITE_EVERY_MS + 30 * MIN));
    expect(stored()).toEqual([[COALESCED_WRITE_EVERY_MS, 21, 'renewed']]);
    // Quitting writes what waits.
    log.flush();
    expect(stored()).toEqual([[COALESCED_WRITE_EVERY_MS + 30 * MIN, 23, 'renewed']]);
    // Something else happening to the connection ends the row: its full count is written first.
    log.append(renewal(COALESCED_WRITE_EVERY_MS + 45 * MIN));
    log.append(event(COALESCED_WRITE_EVERY_MS + 50 * MIN));
    expect(stored()).toEqual([
      [COALESCED_WRITE_EVERY_MS + 45 * MIN, 24, 'renewed'],
      [COALESCED_WRITE_EVERY_MS + 50 * MIN, 1, 'status'],
    ]);
  });

  it('keeps 30 days: older rows go at start and as time passes', () => {
    const log = open();
    log.append(event(0, { connectionId: 'old' }));
    log.append(event(20 * DAY, { connectionId: 'middle' }));
    log.append(event(ACTIVITY_RETENTION_MS + 2 * 3600 * 1000, { connectionId: 'new' }));
    expect(state().recentActivity(10).map((row) => row.connectionId)).toEqual(['middle', 'new']);
    expect(open(55 * DAY).entries().map((e) => e.connectionId)).toEqual(['new']);
  });

  it('imports the JSON activity file of earlier versions once, losing nothing', () => {
    legacyFile().write({ entries: [{ at: 5, connectionId: 'a', label: 'Acme', kind: 'status', from: 'healthy', to: 'retrying', message: 'timed out' }] });
    const log = createActivityLog(state(), () => 10, { legacyFile: legacyFile() });
    expect(log.entries()).toEqual([{ at: 5, connectionId: 'a', label: 'Acme', kind: 'status', from: 'healthy', to: 'retrying', message: 'timed out', repeats: 1 }]);
    expect(JSON.parse(readFileSync(join(dir, 'activity.json'), 'utf8'))).toEqual({ entries: [] });
    expect(createActivityLog(state(), () => 10, { legacyFile: legacyFile() }).entries()).toHaveLength(1);
  });

  it('records the user’s actions next to keep-alive’s, through the redactor, and tells subscribers of each row', () => {
    const log = createActivityLog(state(), () => 42, { redact: <T>(value: T) => JSON.parse(JSON.stringify(value).replaceAll('s3cret-value', '[redacted]')) as T });
    const seen: string[] = [];
    const stop = log.subscribe((e) => seen.push(`${e.kind}:${e.message ?? ''}`));
    log.record({ kind: 'renamed', connectionId: 'a', label: 'Acme', status: 'healthy', detail: 'Was “s3cret-value”.' });
    stop();
    log.record({ kind: 'disconnected', connectionId: 'a', label: 'Acme', status: 'disconnecting' });
    expect(seen).toEqual(['renamed:Was “[redacted]”.']);
    expect(log.entries().map((e) => [e.at, e.kind, e.message])).toEqual([
      [42, 'renamed', 'Was “[redacted]”.'],
      [42, 'disconnected', null],
    ]);
  });
});
