/**
 * The state database's schema, versioned by `PRAGMA user_version`, and the ordered steps from each
 * version a released app wrote up to the current one. Version 0 is what 0.1.0 wrote (it set no
 * version; its tables are version 1's) or a new, empty file. A version above SCHEMA_VERSION was
 * written by a newer app: the store opens it read-only and never migrates it.
 * Adding a change: append a step `{ to: SCHEMA_VERSION + 1, sql }` (never edit a released one) and
 * a fixture of the database as the released version wrote it (test/fixtures/state-db/).
 */
import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  /** The version the database has after this step. */
  readonly to: number;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    sql: `
      CREATE TABLE IF NOT EXISTS connections (id TEXT PRIMARY KEY, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS activity (
        row_id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, connection_id TEXT NOT NULL,
        label TEXT NOT NULL, kind TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL,
        message TEXT, repeats INTEGER NOT NULL DEFAULT 1);
      CREATE INDEX IF NOT EXISTS activity_at ON activity (at);`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.to;

export const schemaVersionOf = (db: DatabaseSync): number => Number(db.prepare('PRAGMA user_version').get()?.['user_version'] ?? 0);

/**
 * Runs every step above `from`, in order, each in its own transaction with the version it reaches:
 * a crash between two steps resumes at the next one. BEGIN IMMEDIATE takes the write lock first, so
 * another program's lock is waited for (the busy timeout) before anything changes.
 */
export function migrate(db: DatabaseSync, from: number, migrations: readonly Migration[] = MIGRATIONS): void {
  for (const step of migrations) {
    if (step.to <= from) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(step.sql);
      db.exec(`PRAGMA user_version = ${Math.trunc(step.to)}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}
