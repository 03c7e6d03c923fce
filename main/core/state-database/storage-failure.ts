/**
 * A write or an open the state database (or the settings file) refused, in the closed set of kinds
 * the core decides on. Adapters translate what SQLite or the file system said into one of these;
 * everything the user is told follows from the kind, here and in shared/state-words.ts.
 */
import type { StorageProblem } from '../../../preload/contract.js';

export type StorageFailureKind = StorageProblem;
export type StorageName = 'state database' | 'settings file';

export class StorageFailure extends Error {
  override readonly name = 'StorageFailure';

  /** `detail` is what the storage said (SQLite's words, an errno code): never a written value. */
  constructor(
    readonly kind: StorageFailureKind,
    readonly storage: StorageName,
    detail: string,
  ) {
    super(`The ${storage} refused (${kind}): ${detail}`);
  }
}

export const storageFailureOf = (error: unknown): StorageFailure | null => (error instanceof StorageFailure ? error : null);

/** Why a change was not saved, as the rest of a sentence ("… was not kept: the disk is full"). */
export function notSavedBecause(error: unknown): string {
  const failure = storageFailureOf(error);
  switch (failure?.kind) {
    case 'locked':
      return 'another program is using the state database; try again in a moment';
    case 'full':
      return 'the disk is full';
    case 'read-only':
      return 'the disk is read-only';
    case 'newer':
      return `the ${failure.storage} was made by a newer version of Data2CRM Tray; update the app`;
    case 'corrupt':
      return 'SQLite reports the state database damaged; restart the app to check it';
    case 'other':
      return `the ${failure.storage} could not be written`;
    default:
      // Not a storage refusal (a record that failed its own check): a bug, said plainly.
      return 'the change could not be recorded';
  }
}
