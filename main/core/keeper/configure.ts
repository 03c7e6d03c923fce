/**
 * What the operator's command line sets at each start. Service addresses come from it, not from
 * a dialog: starting the keeper with `--sandbox URL` is the operator's explicit choice, so it needs
 * no confirmation (the desktop asks because a window could be tricked; a command line is typed).
 * A user key file replaces the stored key only when it differs, so a restart writes nothing.
 */
import type { ActionResult } from '../../../preload/contract.js';
import type { SecretVault } from '../connections/secret-vault.js';
import { err, ok, type Result } from '../result.js';
import { notSavedBecause, storageFailureOf } from '../state-database/storage-failure.js';
import { localSandboxFrom, withLocalSandbox } from '../settings/local-sandbox.js';
import type { SettingsRepository } from '../settings/settings-repository.js';

export interface KeeperConfigTarget {
  readonly settings: SettingsRepository;
  readonly vault: Pick<SecretVault, 'userKey'>;
  readonly setUserKey: (key: string) => Promise<ActionResult>;
}

export async function applyKeeperConfig(target: KeeperConfigTarget, config: { readonly sandbox: string | null; readonly userKey: string | null }): Promise<Result<string[], string>> {
  const changed: string[] = [];
  if (config.sandbox !== null) {
    const sandbox = localSandboxFrom(config.sandbox);
    if (!sandbox.ok) return err(`--sandbox: ${sandbox.error}`);
    const current = target.settings.get();
    const next = withLocalSandbox(current, sandbox.value);
    if (JSON.stringify(next.endpoints) !== JSON.stringify(current.endpoints) || JSON.stringify(next.extraInstanceHosts) !== JSON.stringify(current.extraInstanceHosts)) {
      try {
        target.settings.update(() => next);
      } catch (error) {
        // A refusal (a newer version's settings file, a full disk) is the operator's to fix: said, not thrown.
        if (!storageFailureOf(error)) throw error;
        return err(`--sandbox: the addresses were not saved: ${notSavedBecause(error)}.`);
      }
      changed.push(`every service address now points at the sandbox ${sandbox.value.origin}`);
    }
  }
  if (config.userKey !== null && target.vault.userKey() !== config.userKey) {
    const saved = await target.setUserKey(config.userKey);
    if (!saved.ok) return err(`The user key could not be saved: ${saved.message ?? 'refused'}`);
    changed.push('the Data2CRM user key was saved');
  }
  return ok(changed);
}
