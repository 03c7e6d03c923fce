/**
 * Loads, migrates and saves the settings. A truncated, non-JSON or unreadable file is backed up,
 * defaults load, and the caller gets a notice to show the user: never a crash loop.
 */
import type { Logger, SettingsFile } from '../ports.js';
import { defaultSettings, migrateSettings, settingsSchema, type Settings } from './schema.js';

export interface SettingsRecovery {
  readonly reason: string;
  readonly backupPath: string | null;
  /** One sentence for the user. */
  readonly message: string;
}

export interface SettingsRepository {
  get(): Settings;
  update(change: (current: Settings) => Settings): Settings;
}

export function openSettings(file: SettingsFile, logger: Logger): { repository: SettingsRepository; recovery: SettingsRecovery | null } {
  let recovery: SettingsRecovery | null = null;
  let current: Settings;
  const read = file.read();
  const outcome = read.ok ? migrateSettings(read.data) : ({ ok: false, reason: read.reason } as const);
  if (outcome.ok) {
    current = outcome.settings;
    if (outcome.migrated) file.write(current);
  } else {
    const backupPath = file.backup();
    current = defaultSettings();
    file.write(current);
    recovery = {
      reason: outcome.reason,
      backupPath,
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
