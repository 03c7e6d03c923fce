/**
 * New credentials for an existing connection (a re-authorization, pasted tokens, a registration
 * again): memory at once, then the keychain, then Data2CRM, in the connection's queue. The record's
 * changes are mirrored into the keychain entry's metadata, so a record lost later recovers as it was.
 */
import { estimatedExpiry } from '../keepalive/token-lifetime.js';
import { err, ok, type Result } from '../result.js';
import type { ConnectionSecrets } from '../secrets/connection-secrets.js';
import { UNSAVED_SECRETS } from '../secrets/storage-messages.js';
import type { ConnectionRecord } from '../settings/schema.js';
import { applicationInput } from './application-input.js';
import type { ConnectFailure } from './connection-failures.js';
import type { ConnectionContext } from './connection-context.js';
import { entryMeta } from './entry-meta.js';

export function createNewCredentials(ctx: ConnectionContext) {
  const { settings, vault, clock, logger, clients, data2crm } = ctx;

  function patchRecord(id: string, change: Partial<ConnectionRecord>): ConnectionRecord {
    const record = settings.updateConnection(id, (c) => ({ ...c, ...change }))!;
    keepMeta(record);
    return record;
  }

  /**
   * The entry's metadata follows the record (name, instance, application key), so a record lost
   * later recovers as it was; entries of older versions gain it here. Written only on a change.
   */
  function keepMeta(record: ConnectionRecord): void {
    const secrets = vault.secretsOf(record.id);
    if (!secrets) return;
    const meta = entryMeta(record, record.applicationKey, secrets.meta?.createdAt ?? record.createdAt);
    if (JSON.stringify(meta) !== JSON.stringify(secrets.meta)) void vault.save(record.id, { ...secrets, meta });
  }

  /** A refresh token that no connection will use any more (its connection went while signing in). */
  async function revokeStray(record: ConnectionRecord, secrets: ConnectionSecrets): Promise<void> {
    if (record.mode !== 'external' || !record.connectedApp || !secrets.refreshToken) return;
    const revoked = await clients.oauthFor(record, secrets.clientSecret).revoke(secrets.refreshToken);
    if (!revoked.ok) logger.warn('reauthorize: could not revoke the new sign-in of a disconnected connection', { id: record.id, kind: revoked.error.kind });
  }

  async function pushNew(record: ConnectionRecord, secrets: ConnectionSecrets, instanceUrl: string, issuedAt: number | null, receivedAt: number): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const unsaved: Partial<ConnectionRecord> = vault.isUnsaved(record.id) ? { status: 'degraded', statusDetail: UNSAVED_SECRETS } : {};
    const pushed = await data2crm().updateApplication(record.applicationKey!, applicationInput(record, secrets, instanceUrl));
    const base: Partial<ConnectionRecord> = { instanceUrl, ...(issuedAt !== null ? { tokenIssuedAt: issuedAt } : {}), tokenReceivedAt: receivedAt, lastRefreshedAt: receivedAt };
    if (!pushed.ok) {
      // Keep-alive retries the push with backoff (in every mode), so the state says so.
      patchRecord(record.id, { ...base, pushPending: true, status: 'retrying', statusDetail: 'The new sign-in is stored; sending it to Data2CRM is retried.', ...unsaved });
      return err({ kind: 'register-failed', message: `The new sign-in is stored, but Data2CRM did not take it yet: ${pushed.error.message} It will be retried.`, api: pushed.error });
    }
    return ok(patchRecord(record.id, { ...base, pushPending: false, status: 'healthy', statusDetail: null, consecutiveFailures: 0, lastVerifiedAt: clock.now(), ...unsaved }));
  }

  return {
    patchRecord,

    /**
     * New credentials, in the connection's queue: memory at once, then the keychain, then Data2CRM.
     * A failed keychain write keeps the new tokens in use and retries (keep-alive); a failed push is
     * left pending for keep-alive. A connection disconnected meanwhile gets nothing (and the new
     * sign-in is revoked).
     */
    storeAndPush(original: ConnectionRecord, secretsFor: (current: ConnectionSecrets | null) => ConnectionSecrets, instanceUrl: string, issuedAt: number | null): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const id = original.id;
      return ctx.queue.run(id, async () => {
        const record = settings.connection(id);
        const secrets = secretsFor(vault.secretsOf(id));
        if (!record || record.disconnect) {
          await revokeStray(record ?? original, secrets);
          return err({ kind: 'invalid-input', message: 'That connection was disconnected meanwhile. Nothing was kept.' });
        }
        const receivedAt = clock.now();
        const saved = await vault.save(id, secrets);
        const stored = await pushNew(record, secrets, instanceUrl, issuedAt, receivedAt);
        if (saved || !stored.ok) return stored;
        return err({ kind: 'storage-failed', message: UNSAVED_SECRETS });
      });
    },

    /** The stored secrets with an access token not known to be expired (refreshed and held when it was). */
    async unexpired(record: ConnectionRecord, secrets: ConnectionSecrets): Promise<Result<{ secrets: ConnectionSecrets; patch: Partial<ConnectionRecord> }, ConnectFailure>> {
      const expiry = record.mode === 'internal' ? null : estimatedExpiry(record, settings.get().refresh);
      if (expiry === null || clock.now() < expiry) return ok({ secrets, patch: {} });
      if (record.mode === 'manual' || !secrets.refreshToken || !record.connectedApp) return err({ kind: 'invalid-input', message: 'The stored access token has expired. Paste new tokens with “Update with new tokens”.' });
      const tokens = await clients.oauthFor(record, secrets.clientSecret).refresh(secrets.refreshToken);
      if (!tokens.ok) return err({ kind: 'verify-failed', message: `The stored access token has expired and Salesforce did not refresh it: ${tokens.error.message}`, api: tokens.error });
      const next = { ...secrets, accessToken: tokens.value.accessToken, ...(tokens.value.refreshToken ? { refreshToken: tokens.value.refreshToken } : {}) };
      const receivedAt = clock.now();
      // Held in memory at once; a rotated refresh token is written (a failed write is retried by keep-alive).
      await vault.refreshed(record.id, next);
      return ok({ secrets: next, patch: { tokenIssuedAt: tokens.value.issuedAt, tokenReceivedAt: receivedAt, lastRefreshedAt: receivedAt } });
    },
  };
}

export type NewCredentials = ReturnType<typeof createNewCredentials>;
