/** The state database adapter over a real file: WAL, one row per connection, a damaged file moved aside. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite state store', () => {
  it('runs in WAL mode and keeps one row per connection, upserted in place', () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path);
    store.saveConnections([{ id: 'a', record: { n: 1 } }, { id: 'b', record: { n: 1 } }], []);
    store.saveConnections([{ id: 'a', record: { n: 2 } }], ['b']);
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 2 } }]);
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
    store.close();
  });

  it('a failing transaction leaves every row as it was', () => {
    const store = createSqliteStateStore(join(dir, 'state.db'));
    store.saveConnections([{ id: 'a', record: { n: 1 } }], []);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => store.saveConnections([{ id: 'a', record: { n: 2 } }, { id: 'c', record: cyclic }], [])).toThrow();
    expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 1 } }]);
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

  it('a database that cannot be created at all says where, in plain words', () => {
    expect(() => createSqliteStateStore(join(dir, 'no-such-folder', 'state.db'))).toThrow(/The state database at .*no-such-folder.* could not be created\./);
  });

  it('a row whose JSON is damaged comes back as its raw text, for the core to set aside', () => {
    const path = join(dir, 'state.db');
    createSqliteStateStore(path).close();
    const db = new DatabaseSync(path);
    db.prepare('INSERT INTO connections (id, record) VALUES (?, ?)').run('x', '{"half":');
    db.close();
    expect(createSqliteStateStore(path).loadConnections()).toEqual([{ id: 'x', record: '{"half":' }]);
  });
});
