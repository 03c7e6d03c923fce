/** What the app's state database holds, read as a test would inspect a file. */
import { existsSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

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
