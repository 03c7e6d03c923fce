/**
 * What SQLite or the file system said, in the closed set of kinds the core decides on.
 * node:sqlite puts SQLite's result code in `errcode`; an extended code carries the primary one in
 * its low byte (SQLITE_READONLY_DBMOVED is SQLITE_READONLY). Nothing is decided here.
 */
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { StorageFailure, type StorageFailureKind } from '../core/state-database/storage-failure.js';

/** SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB. */
const KIND_OF_CODE: ReadonlyMap<number, StorageFailureKind> = new Map([
  [5, 'locked'],
  [6, 'locked'],
  [8, 'read-only'],
  [11, 'corrupt'],
  [13, 'full'],
  [26, 'corrupt'],
]);
const SQLITE_CANTOPEN = 14;

/** The file system's words for the same kinds (a file SQLite did not get to open). */
const KIND_OF_ERRNO: Readonly<Record<string, StorageFailureKind>> = { ENOSPC: 'full', EDQUOT: 'full', EROFS: 'read-only' };

export const errnoKind = (error: unknown): StorageFailureKind => KIND_OF_ERRNO[String((error as NodeJS.ErrnoException | null)?.code)] ?? 'other';

/** SQLite cannot open a file for many reasons; a read-only disk is the one the user can act on. */
function cannotOpenKind(path: string): StorageFailureKind {
  try {
    accessSync(dirname(path), constants.W_OK);
    return 'other';
  } catch (error) {
    return errnoKind(error);
  }
}

export function sqliteFailureKind(error: unknown, path: string): StorageFailureKind {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode !== 'number') return errnoKind(error);
  const code = errcode & 0xff;
  return code === SQLITE_CANTOPEN ? cannotOpenKind(path) : (KIND_OF_CODE.get(code) ?? 'other');
}

/**
 * SQLite's own message ("database is locked", "NOT NULL constraint failed: connections.record":
 * names, never a written value), or the errno code and the file it was about.
 */
const wordsOf = (error: unknown, path: string): string => {
  const e = error as { errcode?: unknown; message?: unknown; code?: unknown } | null;
  if (typeof e?.errcode === 'number' && typeof e.message === 'string') return e.message;
  return `${typeof e?.code === 'string' ? e.code : 'unknown error'} at ${path}`;
};

const fromStorage = (error: unknown): boolean => {
  const e = error as { errcode?: unknown; code?: unknown } | null;
  return typeof e?.errcode === 'number' || (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code));
};

/** SQLite's (or the file system's) refusal as a StorageFailure; anything else (a bug) unchanged. */
export function asStorageFailure(error: unknown, path: string): unknown {
  return error instanceof StorageFailure || !fromStorage(error) ? error : new StorageFailure(sqliteFailureKind(error, path), 'state database', wordsOf(error, path));
}

/** The settings file's write refused by the file system (electron-store / conf write atomically). */
export function settingsFileFailure(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? new StorageFailure(errnoKind(error), 'settings file', code) : error;
}
