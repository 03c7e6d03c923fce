/**
 * StateStore over node:sqlite (built into Node 24 and Electron 43's Node: no native module).
 * WAL with synchronous=NORMAL: a change is one small append to the log, not a whole-file rewrite.
 * Routine writes (see WriteOptions) share one open transaction, committed within a short window:
 * a commit per check cost more than the rest of the app's bookkeeping for it. Every other write
 * commits before it returns, together with the routine ones before it. The log is checkpointed
 * into the file on a worker thread when it has grown or within half an hour, never after each
 * commit, and no sync runs on the main thread at a steady pace (sqlite-checkpointer.ts).
 * The only SQL in the app. Opening waits out another program's lock (the busy timeout) and
 * reports it if it lasts; the schema is versioned (sqlite-schema.ts), and a database from a newer
 * app is opened read-only and never written. Only a file that fails SQLite's integrity check is
 * moved aside (with its -wal and -shm): the keychain still lists its connections under "Found in
 * the keychain". Every refusal reaches the core as a StorageFailure of one closed set of kinds.
 */
import { existsSync, renameSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { StorageFailureKind } from '../core/state-database/storage-failure.js';
import { StorageFailure } from '../core/state-database/storage-failure.js';
import type { StateStore, StoredActivity, WriteOptions } from '../core/ports.js';
import { createPrivately, keepPrivate } from './private-files.js';
import { startCheckpointer, type CheckpointerOptions, type SetTimer } from './sqlite-checkpointer.js';
import { asStorageFailure, sqliteFailureKind } from './storage-refusals.js';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from './sqlite-schema.js';

/** How long routine writes may wait for their commit: what a crash can cost (a later check time). */
export const ROUTINE_COMMIT_WITHIN_MS = 100;
/** The longest routine writes wait for a checkpoint in flight before they are committed anyway (a stuck worker). */
const HOLD_FOR_CHECKPOINT_MS = 5_000;
/** After a failed commit, its writes are tried again this much later (or with the next write). */
const RETRY_COMMIT_MS = 5_000;
/**
 * How long a statement waits for another program's lock before it is reported as 'locked'. It
 * blocks the main thread while it waits, so it is short: a longer lock is retried without blocking.
 */
export const BUSY_TIMEOUT_MS = 500;

export interface SqliteStateStoreOptions {
  readonly commitWithinMs?: number;
  readonly busyTimeoutMs?: number;
  /** When checkpoints run. */
  readonly checkpoint?: CheckpointerOptions;
  /** The commit window's and the checkpoints' timers (tests and the bench move their clock). */
  readonly setTimer?: SetTimer;
}

/** The commit window keeps the process alive until its writes are committed. */
const refTimer: SetTimer = (delayMs, fire) => {
  const handle = setTimeout(fire, delayMs);
  return { cancel: () => clearTimeout(handle) };
};

interface Opened {
  readonly db: DatabaseSync;
  /** The schema version a newer app wrote (the database is then open read-only), or null. */
  readonly newer: number | null;
}

/** Opens, checks the version, migrates; throws what SQLite said. */
function openDatabase(path: string, timeout: number): Opened {
  const memory = path === ':memory:';
  if (!memory) {
    createPrivately(path);
    keepPrivate([path, `${path}-wal`, `${path}-shm`]);
  }
  let db = new DatabaseSync(path, { timeout });
  try {
    const version = schemaVersionOf(db);
    if (version > SCHEMA_VERSION) {
      db.close();
      // Read as it is: no pragma, no migration, no checkpoint, nothing written.
      db = new DatabaseSync(path, { readOnly: true, timeout });
      return { db, newer: version };
    }
    // The log file is cut back to 4 MB when it restarts after a burst.
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 4194304;');
    migrate(db, version);
    // The app writes from its first moment: another program's write lock, or a read-only disk, is
    // met here (and waited out or reported) rather than by the first write after startup.
    if (!memory) db.exec('BEGIN IMMEDIATE; COMMIT');
    // Damage is found at start, where a file can still be set aside, not by a check an hour later.
    // (Every page is read once: 36 ms for 1,000 connections with a month of activity, 2.7 MB, on a loaded 2-core machine.)
    const check = db.prepare('PRAGMA quick_check(1)').all();
    if (check.length !== 1 || check[0]?.['quick_check'] !== 'ok') throw new StorageFailure('corrupt', 'state database', 'the quick check found damage');
    return { db, newer: null };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** True only when SQLite's full integrity check finds damage, or cannot read the file as a database at all. */
function failsIntegrityCheck(path: string): boolean {
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const rows = db.prepare('PRAGMA integrity_check(1)').all();
    return !(rows.length === 1 && rows[0]?.['integrity_check'] === 'ok');
  } catch (error) {
    // A lock or a read-only disk while checking proves nothing: the file is left where it is.
    return sqliteFailureKind(error, path) === 'corrupt';
  } finally {
    db?.close();
  }
}

/** The damaged file and its log go aside together: a fresh database must never replay an old log. */
function moveAside(path: string): string {
  const target = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, target);
  for (const side of ['-wal', '-shm']) if (existsSync(`${path}${side}`)) renameSync(`${path}${side}`, `${target}${side}`);
  return target;
}

function openOrSetAside(path: string, timeout: number): Opened & { movedAside: string | null } {
  try {
    return { ...openDatabase(path, timeout), movedAside: null };
  } catch (error) {
    const failure = asStorageFailure(error, path);
    if (!(failure instanceof StorageFailure) || failure.kind !== 'corrupt' || path === ':memory:' || !failsIntegrityCheck(path)) throw failure;
  }
  const movedAside = moveAside(path);
  try {
    return { ...openDatabase(path, timeout), movedAside };
  } catch (error) {
    throw asStorageFailure(error, path);
  }
}

/** Connection rows as stored; a row whose JSON is damaged comes back as its text, for the core to set aside. */
function readConnections(db: DatabaseSync): Array<{ id: string; record: unknown }> {
  return db.prepare('SELECT id, record FROM connections ORDER BY rowid').all().map((row) => {
    const text = String(row['record']);
    try {
      return { id: String(row['id']), record: JSON.parse(text) as unknown };
    } catch {
      return { id: String(row['id']), record: text };
    }
  });
}

function readActivity(db: DatabaseSync, limit: number): Array<StoredActivity & { rowId: number }> {
  return db
    .prepare('SELECT * FROM (SELECT * FROM activity ORDER BY at DESC, row_id DESC LIMIT ?) ORDER BY at, row_id')
    .all(limit)
    .map((r) => ({ rowId: Number(r['row_id']), at: Number(r['at']), connectionId: String(r['connection_id']), label: String(r['label']), kind: String(r['kind']), from: String(r['from_status']), to: String(r['to_status']), message: r['message'] === null ? null : String(r['message']), repeats: Number(r['repeats']) }));
}

/**
 * A database a newer app wrote: what this version can still read of it, and nothing written (every
 * write throws a 'newer' failure). A table the newer schema changed beyond reading reads as empty.
 */
function readOnlyStore(db: DatabaseSync, newer: number): SqliteStateStore {
  const refused = () => {
    throw new StorageFailure('newer', 'state database', `schema version ${newer} is newer than ${SCHEMA_VERSION}; opened read-only`);
  };
  const orEmpty = <T>(read: () => T[]): T[] => {
    try {
      return read();
    } catch {
      return [];
    }
  };
  return {
    movedAside: null,
    newer,
    onBackgroundCommit: () => undefined,
    loadConnections: () => orEmpty(() => readConnections(db)),
    recentActivity: (limit) => orEmpty(() => readActivity(db, limit)),
    saveConnections: refused,
    appendActivity: refused,
    replaceActivity: refused,
    pruneActivity: refused,
    commit: () => undefined,
    probe: refused,
    checkpointNow: async () => null,
    checkpointSettled: async () => undefined,
    checkpointsAsked: () => 0,
    close: async () => db.close(),
  };
}

type ActivityValues = readonly [number, string, string, string, string, string, string | null, number];
const activityValues = (e: StoredActivity): ActivityValues => [e.at, e.connectionId, e.label, e.kind, e.from, e.to, e.message, e.repeats];

export type SqliteStateStore = StateStore & {
  readonly movedAside: string | null;
  readonly newer: number | null;
  /** Commits what waits and copies the log back now (tests and the bench settle with it); null without a worker. */
  checkpointNow(): Promise<Record<string, unknown> | null>;
  /** Resolves when no checkpoint is running (the bench's clock waits for it before it moves on). */
  checkpointSettled(): Promise<void>;
  checkpointsAsked(): number;
};

/**
 * Opens (or creates) the database, or throws a StorageFailure (locked, full, read-only, other):
 * the core waits and tries again. `movedAside` names a damaged file that was replaced; `newer`
 * the version of a database a newer app wrote (every write then throws a 'newer' failure).
 */
export function createSqliteStateStore(path: string, options: SqliteStateStoreOptions = {}): SqliteStateStore {
  const { db, newer, movedAside } = openOrSetAside(path, options.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
  if (newer !== null) return readOnlyStore(db, newer);
  const failed = (error: unknown) => asStorageFailure(error, path);
  const commitListeners = new Set<(failure: StorageFailureKind | null) => void>();
  const commitWithinMs = options.commitWithinMs ?? ROUTINE_COMMIT_WITHIN_MS;
  // Just before a checkpoint, what waits is committed (as the commit window's end does, failures
  // reported and retried), so no open transaction holds the log while the worker copies it.
  const beforeCheckpoint = () => {
    if (db.isTransaction || pending()) commitInBackground(true);
  };
  const checkpointer = path === ':memory:' ? null : startCheckpointer(path, () => db.exec('PRAGMA wal_autocheckpoint = 1000'), () => db.exec('PRAGMA wal_checkpoint(PASSIVE)'), { ...(options.setTimer ? { setTimer: options.setTimer } : {}), ...options.checkpoint, beforeAsk: beforeCheckpoint });
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
  const setTimer = options.setTimer ?? refTimer;
  let timer: { cancel(): void } | null = null;

  function arm(ms: number): void {
    timer ??= setTimer(ms, () => commitInBackground(false));
  }

  /** The commit window's end. While a checkpoint is in flight the writes wait for its answer (at most HOLD_FOR_CHECKPOINT_MS). */
  function commitInBackground(evenDuringCheckpoint: boolean): void {
    timer?.cancel();
    timer = null;
    if (!evenDuringCheckpoint && checkpointer?.inFlight()) {
      // Between a complete checkpoint and the worker's restart write, a commit here would start the log over and sync its header on this thread.
      void checkpointer.settled().then(() => commitInBackground(true));
      timer = setTimer(HOLD_FOR_CHECKPOINT_MS, () => commitInBackground(true));
      return;
    }
    try {
      commitNow();
      commitListeners.forEach((listener) => listener(null));
    } catch (error) {
      const failure = failed(error);
      commitListeners.forEach((listener) => listener(failure instanceof StorageFailure ? failure.kind : 'other'));
      arm(RETRY_COMMIT_MS);
    }
  }

  /** Routine writes made while a checkpoint is in flight stay in memory, outside any transaction, until its answer. */
  const holdsForCheckpoint = () => !db.isTransaction && checkpointer?.inFlight() === true;

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

  /**
   * Reads see the routine writes too, even after SQLite ended the transaction that held them.
   * Writes held for a checkpoint are read inside a transaction that is rolled back: nothing is
   * written, and they stay held.
   */
  function withCurrent<T>(read: (db: DatabaseSync) => T): T {
    if (!lost()) return read(db);
    const held = holdsForCheckpoint();
    open();
    if (!held) {
      arm(commitWithinMs);
      return read(db);
    }
    try {
      return read(db);
    } finally {
      if (db.isTransaction) rollback.run();
    }
  }

  function commitNow(): void {
    timer?.cancel();
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

  /** A routine write joins the open transaction (or waits in memory for a checkpoint); any other commits it (and what came before) now. */
  function write<T>(writeOptions: WriteOptions | undefined, statements: () => T, remember: () => void, single = true): T | undefined {
    if (writeOptions?.routine && holdsForCheckpoint()) {
      remember();
      arm(commitWithinMs);
      return undefined;
    }
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
      throw failed(error);
    }
  }

  /** Reads (and the commit) throw what SQLite said as a StorageFailure too. */
  function reading<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw failed(error);
    }
  }

  return {
    movedAside,
    newer: null,
    onBackgroundCommit(listener) {
      commitListeners.add(listener);
    },
    loadConnections: () => reading(() => withCurrent(readConnections)),
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
    recentActivity: (limit) => reading(() => withCurrent((current) => readActivity(current, limit))),
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
    pruneActivity: (before) => write(undefined, () => Number(db.prepare('DELETE FROM activity WHERE at < ?').run(before).changes), () => undefined) ?? 0,
    commit: () => reading(commitNow),
    async checkpointNow() {
      reading(commitNow);
      return checkpointer ? checkpointer.checkpointNow().catch(() => null) : null;
    },
    checkpointSettled: () => checkpointer?.settled() ?? Promise.resolve(),
    checkpointsAsked: () => checkpointer?.asked() ?? 0,
    probe() {
      // Writes held for a checkpoint in flight stay held (committing them now could restart the log here).
      if (!holdsForCheckpoint()) reading(commitNow);
      // The write lock is free and the file is readable: nothing is written.
      db.exec('BEGIN IMMEDIATE');
      try {
        db.prepare('SELECT 1 FROM connections LIMIT 1').all();
      } finally {
        db.exec('ROLLBACK');
      }
    },
    async close() {
      try {
        reading(commitNow);
      } finally {
        timer?.cancel();
        db.close();
        // The worker's connection closes last (it may still be checkpointing): a store opened on
        // the same file after this resolves never meets its lock.
        await checkpointer?.stop();
      }
    },
  };
}
