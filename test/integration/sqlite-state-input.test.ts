/**
 * The state database adapter over what it finds on disk: another program's lock (a real child
 * process), a store of ours still closing, schema versions (the file 0.1.0 wrote, a newer app's),
 * file modes, and a real full or read-only disk (a tmpfs). Every refusal is a StorageFailure of
 * one kind; only a file that fails SQLite's integrity check is ever moved aside.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { migrate, SCHEMA_VERSION } from '../../main/adapters/sqlite-schema.js';
import type { StorageFailureKind } from '../../main/core/state-database/storage-failure.js';
import { holdWriteLock } from '../support/other-program.js';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { makeNewerDatabase, STATE_DB_0_1_0 } from '../support/state-db.js';

let dir: string;
let disk: SmallDisk | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-sqlite-input-'));
});
afterEach(() => {
  disk?.unmount();
  disk = null;
  rmSync(dir, { recursive: true, force: true });
});

const versionOf = (path: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number(db.prepare('PRAGMA user_version').get()?.['user_version']);
  } finally {
    db.close();
  }
};
const modeOf = (path: string) => statSync(path).mode & 0o777;
const failureKind = (call: () => unknown): StorageFailureKind | 'none' => {
  try {
    call();
    return 'none';
  } catch (error) {
    return (error as { kind?: StorageFailureKind }).kind ?? 'none';
  }
};
const storedIds = (path: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare('SELECT id FROM connections ORDER BY rowid').all().map((r) => r['id']);
  } finally {
    db.close();
  }
};
const asideFiles = () => readdirSync(dir).filter((f) => f.includes('unreadable'));

describe('another program holding the lock', () => {
  it('opening waits for the busy timeout, then reports "locked": the file is never moved aside, and opens whole once the lock is gone', async () => {
    const path = join(dir, 'state.db');
    const first = createSqliteStateStore(path);
    first.saveConnections([{ id: 'a', record: { n: 1 } }], []);
    await first.close();
    const lock = await holdWriteLock(path);
    try {
      expect(failureKind(() => createSqliteStateStore(path, { busyTimeoutMs: 200 }))).toBe('locked');
      expect(asideFiles()).toEqual([]);
    } finally {
      await lock.release();
    }
    const store = createSqliteStateStore(path);
    expect(store.movedAside).toBeNull();
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 1 } }]);
    await store.close();
  });

  it('a write while another program holds the lock is refused as "locked" and succeeds after it', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path, { busyTimeoutMs: 100 });
    const lock = await holdWriteLock(path);
    expect(failureKind(() => store.saveConnections([{ id: 'a', record: { n: 1 } }], []))).toBe('locked');
    await lock.release();
    store.saveConnections([{ id: 'a', record: { n: 2 } }], []);
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 2 } }]);
    await store.close();
  });

  it('close resolves once the checkpoint worker’s connection is closed too (its log copied back and removed): a store reopened then meets no lock, 20 times in a row', async () => {
    const path = join(dir, 'state.db');
    // The race this guards lost 13 reopens in 30 when close did not wait for the worker: one cycle could pass by luck.
    for (let cycle = 0; cycle < 20; cycle++) {
      const store = createSqliteStateStore(path, { commitWithinMs: 0 });
      expect(store.movedAside).toBeNull();
      expect(store.loadConnections()).toHaveLength(cycle * 2);
      store.saveConnections([{ id: `a${cycle}`, record: { n: cycle } }], []);
      // The worker starts with the first checkpoint (asked for now: on its own pace it waits for the log
      // to grow), on a connection of its own.
      await store.checkpointNow();
      expect(readFileSync(path).length).toBeGreaterThan(4096);
      store.saveConnections([{ id: `b${cycle}`, record: { n: cycle } }], []);
      await store.close();
      // The last connection to close copies the log back and deletes it: that was the worker's.
      expect(existsSync(`${path}-wal`)).toBe(false);
    }
    const reopened = createSqliteStateStore(path);
    expect(reopened.movedAside).toBeNull();
    expect(reopened.loadConnections()).toHaveLength(40);
    expect(readdirSync(dir).filter((f) => f.includes('unreadable'))).toEqual([]);
    await reopened.close();
  }, 60_000);
});

describe('damage', () => {
  /** A torn page of the connection table, as a disk error leaves it; the file still opens as a database. */
  async function tornDatabase(path: string): Promise<void> {
    const store = createSqliteStateStore(path);
    store.saveConnections(Array.from({ length: 200 }, (_, j) => ({ id: `r${j}`, record: { pad: 'z'.repeat(500) } })), []);
    await store.close();
    const bytes = readFileSync(path);
    bytes.fill(0xff, 4096, 4096 + 200);
    writeFileSync(path, bytes);
    // A crash leaves the log beside the file: it goes aside with it.
    writeFileSync(`${path}-wal`, 'the damaged file’s log');
  }

  it('a database whose pages fail the integrity check at start is moved aside with its log, and a fresh one starts', async () => {
    const path = join(dir, 'state.db');
    await tornDatabase(path);
    const store = createSqliteStateStore(path);
    expect(store.movedAside).toMatch(/state\.db\.unreadable-/);
    expect(readFileSync(store.movedAside!).length).toBeGreaterThan(4096);
    expect(store.loadConnections()).toEqual([]);
    await store.close();
    // No log of the damaged file is left for the fresh one to replay.
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`, 'utf8') : '').not.toContain('damaged');
  });

  it('a file that is not a database is moved aside too', async () => {
    const path = join(dir, 'state.db');
    writeFileSync(path, 'not a database at all '.repeat(300));
    const store = createSqliteStateStore(path);
    expect(readFileSync(store.movedAside!, 'utf8')).toContain('not a database at all');
    await store.close();
  });
});

describe('schema versions', () => {
  it('a new database starts at the current version', async () => {
    const path = join(dir, 'state.db');
    await createSqliteStateStore(path).close();
    expect(versionOf(path)).toBe(SCHEMA_VERSION);
  });

  it('the database 0.1.0 wrote (no version) migrates with nothing lost: every row and its activity ids', async () => {
    const path = join(dir, 'state.db');
    copyFileSync(STATE_DB_0_1_0, path);
    const before = new DatabaseSync(path, { readOnly: true });
    const connections = before.prepare('SELECT id, record FROM connections ORDER BY rowid').all();
    const activity = before.prepare('SELECT * FROM activity ORDER BY row_id').all();
    before.close();
    expect(versionOf(path)).toBe(0);
    const store = createSqliteStateStore(path);
    expect(store.movedAside).toBeNull();
    expect(store.newer).toBeNull();
    expect(store.loadConnections()).toEqual(connections.map((r) => ({ id: r['id'], record: JSON.parse(String(r['record'])) })));
    expect(store.recentActivity(10).map((r) => r.rowId).sort()).toEqual(activity.map((r) => Number(r['row_id'])).sort());
    expect(store.recentActivity(10).find((r) => r.kind === 'renewed')).toMatchObject({ repeats: 3, message: null });
    // Written on by this version: new rows continue after the old ones.
    const next = store.appendActivity({ at: 1764300070000, connectionId: 'conn-aaaaaaaa', label: 'Acme (internal)', kind: 'renamed', from: 'healthy', to: 'healthy', message: null, repeats: 1 });
    expect(next).toBe(Math.max(...activity.map((r) => Number(r['row_id']))) + 1);
    await store.close();
    expect(versionOf(path)).toBe(SCHEMA_VERSION);
  });

  it('steps run in order, each with its version; a failing step leaves the last one reached, and the next start resumes there', () => {
    const db = new DatabaseSync(join(dir, 'steps.db'));
    const steps = [
      { to: 1, sql: 'CREATE TABLE log (step INTEGER)' },
      { to: 2, sql: 'INSERT INTO log VALUES (2)' },
      { to: 3, sql: 'INSERT INTO log VALUES (3); INSERT INTO no_such_table VALUES (1)' },
    ];
    expect(() => migrate(db, 0, steps)).toThrow(/no_such_table/);
    expect(db.prepare('PRAGMA user_version').get()?.['user_version']).toBe(2);
    expect(db.prepare('SELECT step FROM log').all().map((r) => r['step'])).toEqual([2]);
    migrate(db, 2, [...steps.slice(0, 2), { to: 3, sql: 'INSERT INTO log VALUES (3)' }, { to: 4, sql: 'INSERT INTO log VALUES (4)' }]);
    expect(db.prepare('PRAGMA user_version').get()?.['user_version']).toBe(4);
    expect(db.prepare('SELECT step FROM log').all().map((r) => r['step'])).toEqual([2, 3, 4]);
    db.close();
  });

  it('a database a newer version wrote is read, never written: every write is refused as "newer" and the file is untouched', async () => {
    const path = join(dir, 'state.db');
    copyFileSync(STATE_DB_0_1_0, path);
    makeNewerDatabase(path);
    const bytes = readFileSync(path);
    const store = createSqliteStateStore(path);
    expect(store.newer).toBe(SCHEMA_VERSION + 1);
    expect(store.loadConnections().map((c) => c.id)).toEqual(['conn-aaaaaaaa', 'conn-bbbbbbbb', 'conn-cccccccc']);
    expect(store.recentActivity(10)).toHaveLength(4);
    expect(failureKind(() => store.saveConnections([{ id: 'conn-aaaaaaaa', record: { label: 'Renamed' } }], []))).toBe('newer');
    expect(failureKind(() => store.appendActivity({ at: 1, connectionId: '', label: 'x', kind: 'notice', from: '', to: '', message: null, repeats: 1 }))).toBe('newer');
    expect(failureKind(() => store.pruneActivity(Date.now()))).toBe('newer');
    store.commit();
    await store.close();
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0);
    expect(versionOf(path)).toBe(SCHEMA_VERSION + 1);
  });
});

describe('file modes (POSIX)', () => {
  it('a new database, its -wal and -shm are 0600', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path);
    store.saveConnections([{ id: 'a', record: {} }], []);
    expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    await store.close();
  });

  it('files an earlier version left 0644 are narrowed to 0600 when the store opens', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path);
    store.saveConnections([{ id: 'a', record: {} }], []);
    // As 0.1.0 left them (and a crash keeps the log and index beside the file).
    for (const file of [path, `${path}-wal`, `${path}-shm`]) chmodSync(file, 0o644);
    const again = createSqliteStateStore(path);
    expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    await again.close();
    await store.close();
  });
});

describe('a real full or read-only disk', () => {
  it('a full disk refuses writes as "full"; a routine commit on the store timer says so, and says when it succeeds again', async () => {
    disk = mountSmallDisk();
    const path = join(disk.dir, 'state.db');
    const store = createSqliteStateStore(path, { commitWithinMs: 10 });
    const told: Array<StorageFailureKind | null> = [];
    store.onBackgroundCommit?.((failure) => told.push(failure));
    store.saveConnections([{ id: 'a', record: { n: 0 } }], []);
    disk.fill();
    const big = { pad: 'x'.repeat(200_000) };
    expect(failureKind(() => store.saveConnections([{ id: 'b', record: big }], []))).toBe('full');
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 0 } }]);
    // A routine write waits in the open transaction; its commit on the timer meets the full disk.
    store.saveConnections([{ id: 'r', record: big }], [], { routine: true });
    await expect.poll(() => told, { timeout: 10_000 }).toEqual(['full']);
    disk.free();
    // Retried on the timer: written, and said.
    await expect.poll(() => told, { timeout: 20_000 }).toEqual(['full', null]);
    expect(storedIds(path)).toEqual(['a', 'r']);
    disk.free();
    store.saveConnections([{ id: 'c', record: { n: 1 } }], []);
    expect(store.loadConnections().map((c) => c.id)).toContain('c');
    await store.close();
  });

  it('a read-only disk: an existing database opens as "read-only" and a new one cannot be created ("read-only")', async () => {
    disk = mountSmallDisk();
    const path = join(disk.dir, 'state.db');
    const store = createSqliteStateStore(path);
    store.saveConnections([{ id: 'a', record: { n: 1 } }], []);
    await store.close();
    disk.readOnly();
    expect(failureKind(() => createSqliteStateStore(path))).toBe('read-only');
    expect(failureKind(() => createSqliteStateStore(join(disk!.dir, 'other.db')))).toBe('read-only');
    disk.writable();
    const again = createSqliteStateStore(path);
    expect(again.loadConnections()).toEqual([{ id: 'a', record: { n: 1 } }]);
    await again.close();
  });
});
