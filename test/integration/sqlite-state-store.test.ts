/** The state database adapter over a real file: WAL, one row per connection, routine writes committed together, a damaged file moved aside. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import type { StoredActivity } from '../../main/core/ports.js';
import { storedConnections } from '../support/state-db.js';

let dir: string;
const renewal = (at: number, repeats = 1): StoredActivity => ({ at, connectionId: 'a', label: 'Org', kind: 'renewed', from: 'healthy', to: 'healthy', message: null, repeats });
/** What another connection to the file sees: only what was committed. */
const storedActivity = (path: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare('SELECT row_id, at, repeats FROM activity ORDER BY row_id').all().map((r) => ({ rowId: Number(r['row_id']), at: Number(r['at']), repeats: Number(r['repeats']) }));
  } finally {
    db.close();
  }
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite state store', () => {
  it('runs in WAL mode and keeps one row per connection, upserted in place', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path);
    store.saveConnections([{ id: 'a', record: { n: 1 } }, { id: 'b', record: { n: 1 } }], []);
    store.saveConnections([{ id: 'a', record: { n: 2 } }], ['b']);
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 2 } }]);
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
    await store.close();
  });

  it('a failing transaction leaves every row as it was', () => {
    const store = createSqliteStateStore(join(dir, 'state.db'));
    store.saveConnections([{ id: 'a', record: { n: 1 } }], []);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => store.saveConnections([{ id: 'a', record: { n: 2 } }, { id: 'c', record: cyclic }], [])).toThrow();
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 1 } }]);
  });

  it('routine writes are seen at once by the store and committed together: by commit(), with the next durable write, or at close', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path, { commitWithinMs: 60_000 });
    store.saveConnections([{ id: 'a', record: { n: 1 } }], []);
    store.saveConnections([{ id: 'a', record: { n: 2 } }], [], { routine: true });
    const first = store.appendActivity(renewal(1), { routine: true });
    store.replaceActivity(first, renewal(2, 2), { routine: true });
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 2 } }]);
    expect(store.recentActivity(10)).toMatchObject([{ rowId: first, at: 2, repeats: 2 }]);
    // Not yet in the file: a crash now would lose only these later times.
    expect(storedConnections(path)).toEqual([{ n: 1 }]);
    expect(storedActivity(path)).toEqual([]);
    store.commit();
    expect(storedConnections(path)).toEqual([{ n: 2 }]);
    expect(storedActivity(path)).toEqual([{ rowId: first, at: 2, repeats: 2 }]);

    store.saveConnections([{ id: 'a', record: { n: 3 } }], [], { routine: true });
    store.saveConnections([{ id: 'b', record: { n: 1 } }], []);
    expect(storedConnections(path)).toEqual([{ n: 3 }, { n: 1 }]);
    store.saveConnections([{ id: 'b', record: { n: 2 } }], [], { routine: true });
    await store.close();
    expect(storedConnections(path)).toEqual([{ n: 3 }, { n: 2 }]);
  });

  it('routine writes reach the file by themselves within the commit window', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path, { commitWithinMs: 20 });
    store.saveConnections([{ id: 'a', record: { n: 1 } }], [], { routine: true });
    expect(storedConnections(path)).toEqual([]);
    await expect.poll(() => storedConnections(path), { timeout: 2_000 }).toEqual([{ n: 1 }]);
    await store.close();
  });

  it('when SQLite ends the transaction (a failing write), routine writes before it are written again, with the same row ids', async () => {
    const path = join(dir, 'state.db');
    await createSqliteStateStore(path).close();
    // Stands in for a full disk: this write makes SQLite roll back the whole open transaction.
    const setup = new DatabaseSync(path);
    setup.exec(`CREATE TRIGGER failing BEFORE INSERT ON connections WHEN NEW.id = 'poison' BEGIN SELECT RAISE(ROLLBACK, 'disk trouble (test)'); END;`);
    setup.close();
    const store = createSqliteStateStore(path, { commitWithinMs: 60_000 });
    store.saveConnections([{ id: 'a', record: { n: 1 } }], [], { routine: true });
    const row = store.appendActivity(renewal(1), { routine: true });
    expect(() => store.saveConnections([{ id: 'poison', record: {} }], [])).toThrow(/disk trouble/);
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 1 } }]);
    const next = store.appendActivity({ ...renewal(2), kind: 'status', to: 'retrying' });
    expect(next).toBe(row + 1);
    expect(storedConnections(path)).toEqual([{ n: 1 }]);
    expect(storedActivity(path)).toEqual([{ rowId: row, at: 1, repeats: 1 }, { rowId: next, at: 2, repeats: 1 }]);
    await store.close();
  });

  it('a crash inside the commit window loses only the routine writes; the file opens whole', async () => {
    const path = join(dir, 'state.db');
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/crash-after-writes.ts', path], { encoding: 'utf8', timeout: 30_000 });
    expect(child.signal).toBe('SIGKILL');
    const store = createSqliteStateStore(path);
    expect(store.movedAside).toBeNull();
    expect(store.loadConnections()).toEqual([{ id: 'durable', record: { status: 'healthy', lastVerifiedAt: 1 } }]);
    expect(store.recentActivity(10)).toMatchObject([{ kind: 'connected', at: 1 }]);
    store.saveConnections([{ id: 'durable', record: { status: 'healthy', lastVerifiedAt: 3 } }], [], { routine: true });
    await store.close();
    expect(storedConnections(path)).toEqual([{ status: 'healthy', lastVerifiedAt: 3 }]);
  });

  it('a file that is not a database is moved aside whole and a fresh one starts', () => {
    const path = join(dir, 'state.db');
    writeFileSync(path, 'this is not an sqlite database, just damage '.repeat(200));
    const store = createSqliteStateStore(path);
    expect(store.movedAside).toMatch(/state\.db\.unreadable-/);
    expect(readFileSync(store.movedAside!, 'utf8')).toContain('just damage');
    expect(store.loadConnections()).toEqual([]);
    store.saveConnections([{ id: 'a', record: {} }], []);
    expect(existsSync(path)).toBe(true);
  });

  it('a database that cannot be created at all is a StorageFailure that says where', () => {
    expect(() => createSqliteStateStore(join(dir, 'no-such-folder', 'state.db'))).toThrow(expect.objectContaining({ kind: 'other', storage: 'state database', message: expect.stringMatching(/ENOENT at .*no-such-folder/) }));
  });

  it('a row whose JSON is damaged comes back as its raw text, for the core to set aside', async () => {
    const path = join(dir, 'state.db');
    await createSqliteStateStore(path).close();
    const db = new DatabaseSync(path);
    db.prepare('INSERT INTO connections (id, record) VALUES (?, ?)').run('x', '{"half":');
    db.close();
    expect(createSqliteStateStore(path).loadConnections()).toEqual([{ id: 'x', record: '{"half":' }]);
  });
});
