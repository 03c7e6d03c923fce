/**
 * A settings file a newer version of the app wrote (its `version` is above SETTINGS_VERSION) is
 * that version's, as a newer state database is: this version uses what it can read of it (field
 * by field, defaults for the rest, in memory) and never writes, moves or sets anything aside
 * beside it, so the newer version finds its file as it left it. The user is told once at start;
 * a change of preferences is refused in the same words until the app is updated.
 */
import type { SettingsFile } from '../ports.js';
import { StorageFailure } from '../state-database/storage-failure.js';

/** The words the start notice and every refused change share. */
export const NEWER_SETTINGS = 'the settings file was made by a newer version of Data2CRM Tray; update the app';

export function newerSettingsMessage(): string {
  return `${NEWER_SETTINGS.charAt(0).toUpperCase()}${NEWER_SETTINGS.slice(1)}. This version uses what it can read of it and leaves the file as it is, so settings cannot be changed until the app is updated.`;
}

/** The file as this version may use it: read only; any write, move or side file is refused as 'newer'. */
export function readOnlySettingsFile(file: SettingsFile, version: number): SettingsFile {
  const refused = (): never => {
    throw new StorageFailure('newer', 'settings file', `settings version ${version} is newer than this app's; left as it is`);
  };
  return { read: () => file.read(), write: refused, backup: refused, keepAside: refused };
}
