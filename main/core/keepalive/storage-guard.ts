/**
 * The keychain's part of a keep-alive run, kept apart from the mode checks: an unlisted keychain
 * is retried (with backoff) before any check could mistake "no secrets loaded" for "none stored";
 * an unreadable entry needs the user; secrets held only in memory are written again first, and a
 * run that ends with them still unsaved is a storage problem (backoff), whatever else it did. New
 * credentials wait for Data2CRM until they are saved: the state says so.
 */
import type { SecretVault } from '../connections/secret-vault.js';
import { keychainUnlisted, PUSH_WAITS_FOR_KEYCHAIN, UNREADABLE_SECRETS, UNSAVED_SECRETS } from '../secrets/storage-messages.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { CheckResult } from './check-connection.js';

const storageProblem = (record: ConnectionRecord, detail: string, patch: Partial<ConnectionRecord> = {}): CheckResult => ({
  status: 'degraded',
  detail,
  patch: { ...patch, consecutiveFailures: record.consecutiveFailures + 1 },
  outcome: { kind: 'retry', retryAfterMs: null },
});

export async function guardStorage(record: ConnectionRecord, vault: SecretVault, check: () => Promise<CheckResult>): Promise<CheckResult> {
  if (vault.loadProblem() !== null && !(await vault.loadAll())) return storageProblem(record, keychainUnlisted(vault.loadProblem()!));
  if (vault.isUnreadable(record.id)) return { status: 'needs-reauthorization', detail: UNREADABLE_SECRETS, patch: { consecutiveFailures: 0 }, outcome: { kind: 'done', nextDueAt: null } };
  const unsavedWords = (pushPending: boolean) => (pushPending ? PUSH_WAITS_FOR_KEYCHAIN : UNSAVED_SECRETS);
  if (!(await vault.flush(record.id))) return storageProblem(record, unsavedWords(record.pushPending));
  const result = await check();
  const pushPending = result.patch.pushPending ?? record.pushPending;
  // Data2CRM does not hold the newest access token yet: the keychain must, for a retry after a restart.
  if (pushPending) await vault.persistHeld(record.id);
  if (vault.isUnsaved(record.id)) return { ...result, ...storageProblem(record, unsavedWords(pushPending), result.patch) };
  return result;
}
