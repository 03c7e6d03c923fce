/**
 * The keeper's data folder on disk: created 0700, one keeper at a time (a lock file naming the
 * process; a lock whose process is gone is taken over), small files read with a size bound,
 * and a new key file written 0600 without ever replacing an existing one.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LOCK_FILE = 'keeper.lock';

export function prepareDataFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // A folder made earlier (or by a volume) may be wider: secrets and state are the user's alone.
  if ((statSync(folder).mode & 0o077) !== 0) chmodSync(folder, 0o700);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock, or says which live process holds it. */
export function lockDataFolder(folder: string): { ok: true; release(): void } | { ok: false; pid: number } {
  const path = join(folder, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { ok: true, release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) return { ok: false, pid };
      // Its keeper is gone (killed, or the container restarted): the lock is stale.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`${path} could not be taken`);
}

/** A small file's bytes; null when it does not exist; an error when it is too large or unreadable. */
export function readSmallFile(path: string, maxBytes: number): { ok: true; bytes: Buffer | null } | { ok: false; reason: string } {
  try {
    if (!existsSync(path)) return { ok: true, bytes: null };
    const size = statSync(path).size;
    if (size > maxBytes) return { ok: false, reason: `it is larger than ${maxBytes} bytes` };
    return { ok: true, bytes: readFileSync(path) };
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
}

/** Writes a new 0600 file; never over an existing one. */
export function writeNewFile(path: string, text: string): { ok: true } | { ok: false; reason: string } {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return { ok: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'EEXIST' ? 'the file already exists' : (code ?? 'it could not be written') };
  }
}

/** Writes a new random 32-byte key, rendered by `render`; never over an existing file. */
export function writeNewKeyFile(path: string, render: (key: Buffer) => string): { ok: true } | { ok: false; reason: string } {
  const written = writeNewFile(path, render(randomBytes(32)));
  return written.ok || written.reason !== 'the file already exists' ? written : { ok: false, reason: 'the file already exists (a key is never overwritten: its secrets would be lost)' };
}
