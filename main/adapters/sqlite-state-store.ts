/**
 * StateStore over node:sqlite (built into Node 24 and Electron 43's Node: no native module).
 * WAL with synchronous=NORMAL: a change is one small append to the log, not a whole-file rewrite.
 * The only SQL in the app. A database that cannot be opened is moved aside and a fresh one
 * starts: the keychain still lists its connections under "Found in the keychain".
 */
import { existsSync, renameSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { StateStore, StoredActivity } from '../core/ports.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS connections (id TEXT PRIMARY KEY, record TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS activity (
    row_id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, connection_id TEXT NOT NULL,
    label TEXT NOT NULL, kind TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL,
    message TEXT, repeats INTEGER NOT NULL DEFAULT 1);
  CREATE INDEX IF NOT EXISTS activity_at ON activity (at);
`;

function openDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  db.exec(SCHEMA);
  return db;
}

/** Opens (or creates) the database; `movedAside` names a damaged file that was replaced. */
export function createSqliteStateStore(path: string): StateStore & { readonly movedAside: string | null } {
  let db: DatabaseSync;
  let movedAside: string | null = null;
  try {
    db = openDatabase(path);
  } catch {
    if (path === ':memory:' || !existsSync(path)) throw new Error(`The state database at ${path} could not be created.`);
    movedAside = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(path, movedAside);
    db = openDatabase(path);
  }
  const upsert = db.prepare('INSERT INTO connections (id, record) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record');
  const remove = db.prepare('DELETE FROM connections WHERE id = ?');
  const insertActivity = db.prepare('INSERT INTO activity (at, connection_id, label, kind, from_status, to_status, message, repeats) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const updateActivity = db.prepare('UPDATE activity SET at = ?, connection_id = ?, label = ?, kind = ?, from_status = ?, to_status = ?, message = ?, repeats = ? WHERE row_id = ?');
  // Prepared once: a check's save is one statement run, not SQL parsed again each time.
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const activityValues = (e: StoredActivity) => [e.at, e.connectionId, e.label, e.kind, e.from, e.to, e.message, e.repeats] as const;
  return {
    movedAside,
    loadConnections: () =>
      db.prepare('SELECT id, record FROM connections ORDER BY rowid').all().map((row) => {
        const text = String(row['record']);
        try {
          return { id: String(row['id']), record: JSON.parse(text) as unknown };
        } catch {
          return { id: String(row['id']), record: text };
        }
      }),
    saveConnections(put, removeIds) {
      if (!put.length && !removeIds.length) return;
      // One row (a check's result) is its own transaction already.
      if (put.length === 1 && !removeIds.length) {
        upsert.run(put[0]!.id, JSON.stringify(put[0]!.record));
        return;
      }
      begin.run();
      try {
        for (const { id, record } of put) upsert.run(id, JSON.stringify(record));
        for (const id of removeIds) remove.run(id);
        commit.run();
      } catch (error) {
        rollback.run();
        throw error;
      }
    },
    recentActivity: (limit) =>
      db
        .prepare('SELECT * FROM (SELECT * FROM activity ORDER BY at DESC, row_id DESC LIMIT ?) ORDER BY at, row_id')
        .all(limit)
        .map((r) => ({ rowId: Number(r['row_id']), at: Number(r['at']), connectionId: String(r['connection_id']), label: String(r['label']), kind: String(r['kind']), from: String(r['from_status']), to: String(r['to_status']), message: r['message'] === null ? null : String(r['message']), repeats: Number(r['repeats']) })),
    appendActivity: (entry) => Number(insertActivity.run(...activityValues(entry)).lastInsertRowid),
    replaceActivity(rowId, entry) {
      updateActivity.run(...activityValues(entry), rowId);
    },
    pruneActivity: (before) => Number(db.prepare('DELETE FROM activity WHERE at < ?').run(before).changes),
    close: () => db.close(),
  };
}
