/** What the app's state database holds, read as a test would inspect a file. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SCHEMA_VERSION } from '../../main/adapters/sqlite-schema.js';

/** Connection records as stored (a read-only second connection; WAL lets it see every commit). */
export function storedConnections(path: string): Array<Record<string, unknown>> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare('SELECT record FROM connections ORDER BY rowid').all().map((row) => JSON.parse(String(row['record'])) as Record<string, unknown>);
  } finally {
    db.close();
  }
}

/** The database and its write-ahead log as raw text, for scans that no secret reached them. */
export function stateDbText(path: string): string {
  return [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p, 'latin1')).join('\n');
}

/** Rewrites one stored connection record as damage would (the app must not be running on it). */
export function rewriteStoredConnection(path: string, id: string, change: (record: Record<string, unknown>) => Record<string, unknown>): void {
  const db = new DatabaseSync(path);
  try {
    const row = db.prepare('SELECT record FROM connections WHERE id = ?').get(id);
    if (!row) throw new Error(`no stored connection ${id}`);
    db.prepare('UPDATE connections SET record = ? WHERE id = ?').run(JSON.stringify(change(JSON.parse(String(row['record'])) as Record<string, unknown>)), id);
  } finally {
    db.close();
  }
}

/** The state database as 0.1.0 wrote it (no schema version): see test/fixtures/state-db/write-0.1.0.ts. */
export const STATE_DB_0_1_0 = join(import.meta.dirname, '../fixtures/state-db/0.1.0.db');

/**
 * Turns a database into one a newer version might write: the next schema version, and a new NOT
 * NULL column without a default (so an older app's insert would fail if it tried one).
 */
export function makeNewerDatabase(path: string): void {
  const db = new DatabaseSync(path);
  try {
    const version = Number(db.prepare('PRAGMA user_version').get()?.['user_version']);
    db.exec(`BEGIN;
      CREATE TABLE connections_next (id TEXT PRIMARY KEY, record TEXT NOT NULL, region TEXT NOT NULL);
      INSERT INTO connections_next SELECT id, record, 'eu' FROM connections ORDER BY rowid;
      DROP TABLE connections;
      ALTER TABLE connections_next RENAME TO connections;
      PRAGMA user_version = ${Math.max(version, SCHEMA_VERSION) + 1};
      COMMIT;`);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
