/**
 * Small pieces every action shares: a failure in the user's words, the views looked at again after
 * an action on one connection, and the keep-alive follow-ups of new credentials (a push or a
 * keychain write left to retry).
 */
import type { ActionResult } from '../../../preload/contract.js';
import type { ConnectFailure } from '../connections/connection-service.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { UseCaseDeps } from './deps.js';

export const MIN = 60_000;

/** Every connect-side failure already carries a message written for the user. */
export const failed = (failure: ConnectFailure): ActionResult => ({ ok: false, message: failure.message, ...('field' in failure && failure.field ? { field: failure.field } : {}) });

/** Runs an action on one connection; its view is looked at again however it ended. */
export async function guarded(changed: UseCaseDeps['changed'], id: string, work: () => Promise<ActionResult>): Promise<ActionResult> {
  try {
    return await work();
  } finally {
    changed([id]);
  }
}

/** The technical detail (ENOTFOUND …) goes to the log; the message says it in words. */
export function notConnected(logger: UseCaseDeps['logger'], error: ConnectFailure): ActionResult {
  const api = 'api' in error ? error.api : null;
  logger.warn('connect: not connected', { kind: error.kind, ...(api ? { api: api.kind } : {}), ...(api?.kind === 'network' && api.code ? { code: api.code } : {}) });
  return failed(error);
}

/** New credentials stored but not yet taken by Data2CRM: keep-alive retries the push. */
export function failedKeepingPush(deps: Pick<UseCaseDeps, 'settings' | 'keepAlive'>, id: string, failure: ConnectFailure): ActionResult {
  const record = deps.settings.connection(id);
  if (record?.pushPending) deps.keepAlive.track(record);
  return failed(failure);
}

/** New tokens held only in memory: keep-alive writes them again (with backoff) from now on. */
export function retryUnsaved(deps: Pick<UseCaseDeps, 'vault' | 'keepAlive' | 'clock'>, id: string): void {
  // At once (no jitter): until the keychain holds them, a crash loses the new tokens.
  if (deps.vault.isUnsaved(id)) deps.keepAlive.scheduler.schedule(id, deps.clock.now(), deps.clock.now());
}

/** A connection handed over to a keeper is the keeper's to act on (exactly one keeper): said instead of acting. */
export function keptElsewhere(record: ConnectionRecord | undefined): ActionResult | null {
  if (!record?.keptBy) return null;
  const { keeper, state } = record.keptBy;
  return { ok: false, message: state === 'kept' ? `${record.label} is kept by ${keeper}, which renews it. Hand it back to act on it here.` : `${record.label} is being handed over to ${keeper}: finish with its receipt, or cancel the hand-over.` };
}

export function recordAction(activity: UseCaseDeps['activity'], kind: 'reauthorized' | 'tokens-updated' | 'registered-again', record: ConnectionRecord): void {
  activity.record({ kind, connectionId: record.id, label: record.label, status: record.status });
}
