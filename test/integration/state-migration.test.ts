/** Moving connection records from the settings file into the state database: nothing lost. */
import Conf from 'conf';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { openSettings } from '../../main/core/settings/settings-repository.js';
import { createMemoryLogger } from '../support/memory-logger.js';
import { rewriteStoredConnection, storedConnections } from '../support/state-db.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/settings-v1-with-connections.json');
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-state-'));
  path = join(dir, 'config.json');
  copyFileSync(FIXTURE, path);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const statePath = () => join(dir, 'state.db');
const open = () => openSettings(createStoreSettingsFile(path, () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' })), createMemoryLogger(), createSqliteStateStore(statePath()));
const written = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown> & { refresh: Record<string, unknown>; connections: Array<Record<string, unknown>> };
/** The fixture as this version reads it: settings version 2 tells trouble after 30 min (not after N failures); records gain the trouble fields. */
const refreshKept = { ...written.refresh };
delete refreshKept['notifyAfterFailures'];
const migrated = { ...written, version: 2, refresh: { ...refreshKept, notifyAfterMs: 30 * 60_000 }, connections: written.connections.map((c) => ({ ...c, troubleSince: null, troubleTold: false })) };

describe('state database migration', () => {
  it('a settings file written by version 1 (records in the file) migrates with nothing lost, and the next start reads the same', () => {
    const first = open();
    expect(first.recovery).toBeNull();
    expect(first.repository.get()).toEqual(migrated);
    // The records moved: the file keeps only preferences, the database one row per connection.
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ...migrated, connections: [] });
    expect(storedConnections(statePath())).toEqual(migrated.connections);
    expect(open().repository.get()).toEqual(migrated);
  });

  it('a change to one connection writes its row only; the settings file is not touched', () => {
    const { repository } = open();
    const fileBefore = statSync(path).mtimeMs;
    const before = storedConnections(statePath());
    repository.update((s) => ({ ...s, connections: s.connections.map((c) => (c.id === 'conn-bbbbbbbb' ? { ...c, status: 'healthy', consecutiveFailures: 0 } : c)) }));
    expect(statSync(path).mtimeMs).toBe(fileBefore);
    const after = storedConnections(statePath());
    expect(after.filter((row, i) => JSON.stringify(row) !== JSON.stringify(before[i])).map((row) => row['id'])).toEqual(['conn-bbbbbbbb']);
    expect(open().repository.get().connections.find((c) => c.id === 'conn-bbbbbbbb')).toMatchObject({ status: 'healthy', consecutiveFailures: 0, pushPending: true });
  });

  it('a malformed change is refused whole: nothing written', () => {
    const { repository } = open();
    const before = storedConnections(statePath());
    expect(() => repository.update((s) => ({ ...s, connections: s.connections.map((c) => ({ ...c, consecutiveFailures: -1 })) }))).toThrow();
    expect(storedConnections(statePath())).toEqual(before);
    expect(repository.get().connections.every((c) => c.consecutiveFailures >= 0)).toBe(true);
  });

  it('a damaged row is set aside in a side file and named once; every other connection loads', () => {
    open();
    rewriteStoredConnection(statePath(), 'conn-cccccccc', (c) => ({ ...c, status: 'frobnicating' }));
    const { repository, recovery } = open();
    expect(repository.get().connections.map((c) => c.id)).toEqual(['conn-aaaaaaaa', 'conn-bbbbbbbb']);
    expect(recovery?.setAside).toEqual(['Initech (pasted)']);
    const side = readdirSync(dir).filter((f) => f.includes('.set-aside-'));
    expect(JSON.parse(readFileSync(join(dir, side[0]!), 'utf8')).records).toEqual([{ ...migrated.connections[2], status: 'frobnicating' }]);
    expect(open().recovery).toBeNull();
  });
});
