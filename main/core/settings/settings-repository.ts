/**
 * Loads, migrates and saves the settings. Only a file that is not JSON or not an object (or from
 * a newer app) is backed up whole and replaced by defaults. Otherwise invalid connection records
 * are set aside in a side file, invalid global fields take their defaults one by one, and every
 * valid connection loads: the caller gets a notice naming what happened, once. Never a crash loop.
 */
import type { Logger, SettingsFile } from '../ports.js';
import { setAsideName } from './salvage.js';
import { defaultSettings, migrateSettings, settingsSchema, type Settings } from './schema.js';

export interface SettingsRecovery {
  readonly reason: string;
  readonly backupPath: string | null;
  /** One sentence (or two) for the user. */
  readonly message: string;
  /** Names of the connection records set aside, for the notice. */
  readonly setAside: readonly string[];
}

export interface SettingsRepository {
  get(): Settings;
  update(change: (current: Settings) => Settings): Settings;
}

function tryWrite(file: SettingsFile, settings: Settings, logger: Logger): void {
  try {
    file.write(settings);
  } catch (error) {
    // A read-only or full disk must not stop the app: the settings stay usable in memory.
    logger.warn('settings: could not write the settings file at startup', { error: error instanceof Error ? error.message : 'unknown' });
  }
}

function partialRecovery(file: SettingsFile, setAside: readonly unknown[], resetFields: readonly string[], logger: Logger): SettingsRecovery {
  const names = setAside.map(setAsideName);
  let sidePath: string | null = null;
  if (setAside.length) {
    try {
      sidePath = file.keepAside({ reason: 'these connection records did not match the expected shape', records: setAside });
    } catch {
      sidePath = file.backup();
    }
  }
  const parts: string[] = [];
  if (names.length) {
    parts.push(`${names.length === 1 ? 'One connection' : `${names.length} connections`} could not be read and ${names.length === 1 ? 'was' : 'were'} set aside (${names.join(', ')})${sidePath ? `; ${names.length === 1 ? 'it is' : 'they are'} kept at ${sidePath}` : ''}. Their keychain entries were not touched: Settings → Connections lists them to recover or delete.`);
  }
  if (resetFields.length) parts.push(`These settings were invalid and went back to their defaults: ${resetFields.join(', ')}.`);
  const reason = [names.length ? `${names.length} invalid connection record(s)` : '', resetFields.length ? `invalid fields: ${resetFields.join(', ')}` : ''].filter(Boolean).join('; ');
  logger.warn('settings: invalid parts set aside or reset; everything else loaded', { setAside: names.length, resetFields, sidePath });
  return { reason, backupPath: sidePath, message: `${parts.join(' ')} Every other connection keeps running.`, setAside: names };
}

export function openSettings(file: SettingsFile, logger: Logger): { repository: SettingsRepository; recovery: SettingsRecovery | null } {
  let recovery: SettingsRecovery | null = null;
  let current: Settings;
  const read = file.read();
  const outcome = read.ok ? migrateSettings(read.data) : ({ ok: false, reason: read.reason } as const);
  if (outcome.ok) {
    current = outcome.settings;
    // The side file first: the main file is rewritten only once the set-aside records are safe.
    if (outcome.setAside.length || outcome.resetFields.length) recovery = partialRecovery(file, outcome.setAside, outcome.resetFields, logger);
    if (outcome.migrated || recovery) tryWrite(file, current, logger);
  } else {
    let backupPath: string | null = null;
    try {
      backupPath = file.backup();
    } catch {
      logger.warn('settings: could not back up the unreadable file');
    }
    current = defaultSettings();
    tryWrite(file, current, logger);
    recovery = {
      reason: outcome.reason,
      backupPath,
      setAside: [],
      message: `Your settings could not be read (${outcome.reason}), so defaults were loaded.${backupPath ? ` The old file was kept at ${backupPath}.` : ''} Your keychain entries were not touched.`,
    };
    logger.warn('settings: unreadable file backed up, defaults loaded', { reason: outcome.reason, backupPath });
  }

  return {
    recovery,
    repository: {
      get: () => current,
      update(change) {
        // Parse before writing: a bug can never persist a malformed document.
        const next = settingsSchema.parse(change(current));
        file.write(next);
        current = next;
        return next;
      },
    },
  };
}
