/**
 * StateStore over node:sqlite (built into Node 24 and Electron 43's Node: no native module).
 * WAL with synchronous=NORMAL: a change is one small append to the log, not a whole-file rewrite.
 * Routine writes (see WriteOptions) share one open transaction, committed within a short window:
 * a commit per check cost more than the rest of the app's bookkeeping for it. Every other write
 * commits before it returns, together with the routine ones before it. The log is checkpointed
 * into the file on a worker thread (sqlite-checkpointer.ts).
 * The only SQL in the app. A database that cannot be opened is moved aside and a fresh one
 * starts: the keychain still lists its connections under "Found in the keychain".
 */
import { existsSync, renameSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { StateStore, StoredActivity, WriteOptions } from '../core/ports.js';
import { startCheckpointer } from './sqlite-checkpointer.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS connections (id TEXT PRIMARY KEY, record TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS activity (
    row_id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, connection_id TEXT NOT NULL,
    label TEXT NOT NULL, kind TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL,
    message TEXT, repeats INTEGER NOT NULL DEFAULT 1);
  CREATE INDEX IF NOT EXISTS activity_at ON activity (at);
`;

/** How long routine writes may wait for their commit: what a crash can cost (a later check time). */
export const ROUTINE_COMMIT_WITHIN_MS = 100;
/** After a failed commit, its writes are tried again this much later (or with the next write). */
const RETRY_COMMIT_MS = 5_000;

export interface SqliteStateStoreOptions {
  readonly commitWithinMs?: number;
  /** A routine commit failed on its timer (its writes are kept and tried again): for the log. */
  readonly onCommitFailed?: (error: unknown) => void;
}

function openDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  // The log file is cut back to 4 MB when it restarts after a burst.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 4194304;');
  db.exec(SCHEMA);
  return db;
}

type ActivityValues = readonly [number, string, string, string, string, string, string | null, number];
const activityValues = (e: StoredActivity): ActivityValues => [e.at, e.connectionId, e.label, e.kind, e.from, e.to, e.message, e.repeats];

/** Opens (or creates) the database; `movedAside` names a damaged file that was replaced. */
export function createSqliteStateStore(path: string, options: SqliteStateStoreOptions = {}): StateStore & { readonly movedAside: string | null } {
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
  const commitWithinMs = options.commitWithinMs ?? ROUTINE_COMMIT_WITHIN_MS;
  const checkpointer = path === ':memory:' ? null : startCheckpointer(path, () => db.exec('PRAGMA wal_autocheckpoint = 1000'), () => db.exec('PRAGMA wal_checkpoint(PASSIVE)'));
  // Unless the worker fails (then SQLite checkpoints here again), the main connection never checkpoints.
  if (checkpointer) db.exec('PRAGMA wal_autocheckpoint = 0');
  const upsert = db.prepare('INSERT INTO connections (id, record) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record');
  const remove = db.prepare('DELETE FROM connections WHERE id = ?');
  const insertActivity = db.prepare('INSERT INTO activity (row_id, at, connection_id, label, kind, from_status, to_status, message, repeats) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  // A coalesced row rewritten, or a routine row written again: the whole row by its id.
  const putActivity = db.prepare('INSERT OR REPLACE INTO activity (row_id, at, connection_id, label, kind, from_status, to_status, message, repeats) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  // Prepared once: a check's save is one statement run, not SQL parsed again each time.
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT call');
  const release = db.prepare('RELEASE call');
  const rollbackTo = db.prepare('ROLLBACK TO call');
  // Row ids are handed out here, so a routine row written again after a failed commit keeps its id.
  const used = db.prepare("SELECT MAX(COALESCE((SELECT MAX(row_id) FROM activity), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'activity'), 0)) AS last").get();
  let nextRowId = Number(used?.['last'] ?? 0) + 1;

  // Routine writes not yet committed, the latest per row: written again if their transaction ends
  // without a commit. Each commit clears them, so any kept while no transaction is open were lost.
  const routineRows = new Map<string, string | null>();
  const routineActivity = new Map<number, ActivityValues>();
  const pending = () => routineRows.size + routineActivity.size > 0;
  const lost = () => !db.isTransaction && pending();
  let timer: ReturnType<typeof setTimeout> | null = null;

  function arm(ms: number): void {
    timer ??= setTimeout(() => {
      timer = null;
      try {
        commitNow();
      } catch (error) {
        options.onCommitFailed?.(error);
        arm(RETRY_COMMIT_MS);
      }
    }, ms);
  }

  /** Opens a transaction unless one is open, writing again what a failed one lost. */
  function open(): void {
    if (db.isTransaction) return;
    const replay = pending();
    begin.run();
    if (!replay) return;
    try {
      for (const [id, record] of routineRows) if (record === null) remove.run(id);
      else upsert.run(id, record);
      for (const [rowId, values] of routineActivity) putActivity.run(rowId, ...values);
    } catch (error) {
      rollback.run();
      throw error;
    }
  }

  /** Runs one call's statements all or nothing, inside the open transaction (one statement is by itself). */
  function atomically<T>(statements: () => T, single: boolean): T {
    if (single) return statements();
    savepoint.run();
    try {
      const result = statements();
      release.run();
      return result;
    } catch (error) {
      if (db.isTransaction) {
        rollbackTo.run();
        release.run();
      }
      throw error;
    }
  }

  /** Reads see the routine writes too, even after SQLite ended the transaction that held them. */
  function current(): DatabaseSync {
    if (lost()) {
      open();
      arm(commitWithinMs);
    }
    return db;
  }

  function commitNow(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!db.isTransaction && !pending()) return;
    try {
      open();
      commit.run();
      checkpointer?.afterCommit();
      routineRows.clear();
      routineActivity.clear();
    } catch (error) {
      if (db.isTransaction) rollback.run();
      throw error;
    }
  }

  /** After a failed call: an open transaction that holds nothing ends; kept routine writes get their commit. */
  function settle(): void {
    // SQLite ends the whole transaction on some errors (a full disk): the routine writes are then written again.
    if (pending()) arm(lost() ? RETRY_COMMIT_MS : commitWithinMs);
    else if (db.isTransaction) rollback.run();
  }

  /** A routine write joins the open transaction; any other commits it (and what came before) now. */
  function write<T>(writeOptions: WriteOptions | undefined, statements: () => T, remember: () => void, single = true): T {
    try {
      open();
      const result = atomically(statements, single);
      if (writeOptions?.routine) {
        remember();
        arm(commitWithinMs);
      } else commitNow();
      return result;
    } catch (error) {
      settle();
      throw error;
    }
  }

  return {
    movedAside,
    loadConnections: () =>
      current().prepare('SELECT id, record FROM connections ORDER BY rowid').all().map((row) => {
        const text = String(row['record']);
        try {
          return { id: String(row['id']), record: JSON.parse(text) as unknown };
        } catch {
          return { id: String(row['id']), record: text };
        }
      }),
    saveConnections(put, removeIds, writeOptions) {
      if (!put.length && !removeIds.length) return;
      const rows = put.map(({ id, record }) => [id, JSON.stringify(record)] as const);
      write(
        writeOptions,
        () => {
          for (const [id, record] of rows) upsert.run(id, record);
          for (const id of removeIds) remove.run(id);
        },
        () => {
          for (const [id, record] of rows) routineRows.set(id, record);
          for (const id of removeIds) routineRows.set(id, null);
        },
        rows.length + removeIds.length === 1,
      );
    },
    recentActivity: (limit) =>
      current()
        .prepare('SELECT * FROM (SELECT * FROM activity ORDER BY at DESC, row_id DESC LIMIT ?) ORDER BY at, row_id')
        .all(limit)
        .map((r) => ({ rowId: Number(r['row_id']), at: Number(r['at']), connectionId: String(r['connection_id']), label: String(r['label']), kind: String(r['kind']), from: String(r['from_status']), to: String(r['to_status']), message: r['message'] === null ? null : String(r['message']), repeats: Number(r['repeats']) })),
    appendActivity(entry, writeOptions) {
      const rowId = nextRowId;
      const values = activityValues(entry);
      write(writeOptions, () => insertActivity.run(rowId, ...values), () => routineActivity.set(rowId, values));
      nextRowId += 1;
      return rowId;
    },
    replaceActivity(rowId, entry, writeOptions) {
      const values = activityValues(entry);
      write(writeOptions, () => putActivity.run(rowId, ...values), () => routineActivity.set(rowId, values));
    },
    pruneActivity: (before) => write(undefined, () => Number(db.prepare('DELETE FROM activity WHERE at < ?').run(before).changes), () => undefined),
    commit: commitNow,
    probe() {
      commitNow();
      // The write lock is free and the file is readable: nothing is written.
      db.exec('BEGIN IMMEDIATE');
      try {
        db.prepare('SELECT 1 FROM connections LIMIT 1').all();
      } finally {
        db.exec('ROLLBACK');
      }
    },
    close() {
      try {
        commitNow();
      } finally {
        if (timer) clearTimeout(timer);
        checkpointer?.stop();
        db.close();
      }
    },
  };
}
