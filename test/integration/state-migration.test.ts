/**
 * Every released layout of the app's state opens and migrates with nothing lost: the settings-file
 * era (connection records in the settings file, activity in activity.json) and the first state.db
 * (0.1.0: no schema version). Through openSettings, and through the whole core.
 */
import Conf from 'conf';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { SCHEMA_VERSION } from '../../main/adapters/sqlite-schema.js';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { composeCore, type Core } from '../../main/core/compose.js';
import type { AuthBrowser } from '../../main/core/ports.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { openSettings } from '../../main/core/settings/settings-repository.js';
import { createFakeClock } from '../support/fake-clock.js';
import { quietDesktopPorts } from '../support/harness-core.js';
import { createMemoryLogger } from '../support/memory-logger.js';
import { rewriteStoredConnection, STATE_DB_0_1_0, storedConnections } from '../support/state-db.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/settings-v1-with-connections.json');
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-state-'));
  path = join(dir, 'config.json');
  copyFileSync(FIXTURE, path);
});
let core: Core | undefined;
afterEach(async () => {
  core?.keepAlive.stop();
  core = undefined;
  rmSync(dir, { recursive: true, force: true });
});

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

const noBrowser: AuthBrowser = { open: () => ({ outcome: new Promise(() => undefined), close: () => undefined }), forgetSession: async () => undefined };
const schemaVersion = () => {
  const db = new DatabaseSync(statePath(), { readOnly: true });
  try {
    return Number(db.prepare('PRAGMA user_version').get()?.['user_version']);
  } finally {
    db.close();
  }
};

/** The app's start over the folder, as main/index.ts composes it, a day after the fixtures were written. */
function startApp(): Promise<Core> {
  return composeCore({
    appInfo: { name: 'Data2CRM Tray', version: '0.2.0' },
    platform: 'test',
    settingsFile: createStoreSettingsFile(path, () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' })),
    stateStore: createSqliteStateStore(statePath()),
    legacyActivityFile: createStoreSettingsFile(join(dir, 'activity.json'), () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'activity' })),
    secretStores: [{ name: 'memory', create: () => createMemorySecretStore() }],
    listener: createLoopbackListener(),
    appWindow: noBrowser,
    systemBrowser: noBrowser,
    clock: createFakeClock(1764400000000),
    logger: createMemoryLogger(),
    ...quietDesktopPorts,
  });
}
/** The fixture's activity, read from a copy (even a read-only connection leaves -wal and -shm beside its file). */
const fixtureActivity = () => {
  const copy = join(dir, 'fixture-copy.db');
  copyFileSync(STATE_DB_0_1_0, copy);
  const db = new DatabaseSync(copy, { readOnly: true });
  try {
    return db.prepare('SELECT at, connection_id, label, kind, from_status, to_status, message, repeats FROM activity ORDER BY at').all().map((r) => ({ at: r['at'], connectionId: r['connection_id'], label: r['label'], kind: r['kind'], from: r['from_status'], to: r['to_status'], message: r['message'], repeats: r['repeats'] }));
  } finally {
    db.close();
  }
};

describe('released versions, through the whole core', () => {
  it('0.1.0’s state.db (no schema version) migrates to the current version with every connection and activity row, and nothing set aside', async () => {
    copyFileSync(STATE_DB_0_1_0, statePath());
    writeFileSync(path, JSON.stringify({ ...written, connections: [] }));
    core = await startApp();
    expect(core.recovery).toBeNull();
    expect(core.settings.get().connections).toEqual(migrated.connections);
    expect(core.activity.entries()).toEqual(fixtureActivity());
    expect(core.app.snapshot().damagedDatabase).toBeUndefined();
    expect(core.app.snapshot().stateDatabase).toBeUndefined();
    expect(schemaVersion()).toBe(SCHEMA_VERSION);
    expect(readdirSync(dir).filter((f) => f.includes('unreadable') || f.includes('set-aside'))).toEqual([]);
  });

  it('the settings-file era (records in the settings file, activity in activity.json) moves into a current state.db with nothing lost', async () => {
    const legacy = [{ at: 1764300050000, connectionId: 'conn-bbbbbbbb', label: 'Globex (own app)', kind: 'status', from: 'healthy', to: 'retrying', message: 'Salesforce did not answer in time.' }];
    writeFileSync(join(dir, 'activity.json'), JSON.stringify({ entries: legacy }));
    core = await startApp();
    expect(core.settings.get().connections).toEqual(migrated.connections);
    expect(core.activity.entries()).toEqual(legacy.map((e) => ({ ...e, repeats: 1 })));
    expect(storedConnections(statePath())).toEqual(migrated.connections);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ...migrated, connections: [] });
    expect(JSON.parse(readFileSync(join(dir, 'activity.json'), 'utf8'))).toEqual({ entries: [] });
    expect(schemaVersion()).toBe(SCHEMA_VERSION);
  });
});
