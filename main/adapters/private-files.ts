/**
 * The app's own files hold labels, usernames, org ids and activity: on POSIX they are the user's
 * alone (files 0600 in a 0700 folder), checked at every start and tightened where a file or an
 * earlier version left them wider. Windows keeps them in the user's profile, private by its ACL.
 */
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

const posix = process.platform !== 'win32';

/** Narrows each existing path to `mode` where it allows more; returns the paths that were wider. */
export function keepPrivate(paths: readonly string[], mode: number = PRIVATE_FILE_MODE): string[] {
  if (!posix) return [];
  const tightened: string[] = [];
  for (const path of paths) {
    let current: number;
    try {
      current = statSync(path).mode & 0o777;
    } catch {
      continue; // not there (yet): created private, or by SQLite with the database file's mode
    }
    if ((current & ~mode) === 0) continue;
    try {
      chmodSync(path, current & mode);
      tightened.push(path);
    } catch {
      // Not ours to change (another owner, a read-only disk): the app still runs.
    }
  }
  return tightened;
}

/** Creates an empty file readable by its owner alone unless it exists (SQLite then gives -wal and -shm its mode). */
export function createPrivately(path: string): void {
  if (existsSync(path)) return;
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
