/**
 * A state database that could not be read at start was moved aside by the adapter and a fresh
 * one started. The user is told, in the same words everywhere: the snapshot (header and banner,
 * see shared/state-words.ts), one activity entry and one log line. What comes next: the secrets
 * of its connections are still in the keychain, so they are listed under "Found in the keychain".
 * The moved file's name is not repeated: its timestamp reads as a token to the pattern redactor.
 */
import { damagedDatabaseLine } from '../../../shared/state-words.js';
import type { Logger } from '../ports.js';

export interface DamagedDatabase {
  readonly at: number;
}

export function tellDamagedDatabase(at: number, logger: Logger, activity: { notice(at: number, message: string): void }): DamagedDatabase {
  logger.warn('state: the state database could not be read; it was moved aside (state.db.unreadable-…) and a new one started; its connections are listed from the keychain');
  activity.notice(at, damagedDatabaseLine(0));
  return { at };
}
