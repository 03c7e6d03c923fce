/**
 * Another program holding the state database's write lock, as the sqlite3 shell does after
 * `BEGIN EXCLUSIVE`: a real child process with its own SQLite connection. `release()` commits
 * and ends it; `forMs` lets it release by itself.
 */
import { spawn } from 'node:child_process';

const CHILD = `
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1]);
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
const release = () => { db.exec('COMMIT'); db.close(); process.exit(0); };
const forMs = Number(process.argv[2]);
if (forMs > 0) setTimeout(release, forMs);
process.stdin.on('data', release);
process.stdin.on('end', release);
`;

export interface HeldLock {
  /** Commits and waits for the child to end. */
  release(): Promise<void>;
  /** Resolves when the child ended (by itself after `forMs`, or released). */
  readonly ended: Promise<void>;
}

export async function holdWriteLock(path: string, options: { forMs?: number } = {}): Promise<HeldLock> {
  const child = spawn(process.execPath, ['-e', CHILD, path, String(options.forMs ?? 0)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the locking child ended before it held the lock (exit ${code})`)));
  });
  return {
    ended,
    async release() {
      if (child.exitCode === null) child.stdin.end('release');
      await ended;
    },
  };
}
