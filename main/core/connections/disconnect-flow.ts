/**
 * Disconnecting: delete the Data2CRM application, revoke the sign-in at Salesforce (where the tray
 * owns the client), delete the keychain entry and the sign-in window's cookies, remove the record.
 * Idempotent and resumable: each finished step is recorded before the next starts, so running it
 * again after any failure continues from the last finished step.
 */
import { isTransient, type ApiFailure } from '../http/api-failure.js';
import { err, ok, type Result } from '../result.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { DisconnectFailure } from './connection-failures.js';
import type { ConnectionContext } from './connection-context.js';

export function createDisconnectFlow(ctx: ConnectionContext) {
  const { settings, vault, logger } = ctx;

  async function disconnectNow(id: string): Promise<Result<void, DisconnectFailure>> {
    const find = () => settings.connection(id);
    const start = find();
    if (!start) return err({ kind: 'not-found', message: 'That connection no longer exists.' });
    type Step = Extract<DisconnectFailure, { kind: 'step-failed' }>['step'];
    const stepFailed = (step: Step, message: string, api?: ApiFailure): Result<void, DisconnectFailure> => err({ kind: 'step-failed', step, message, ...(api ? { api } : {}) });
    /** Records progress; false when the settings file refused the write. */
    const record = (change: Partial<ConnectionRecord>): boolean => {
      try {
        settings.updateConnection(id, (c) => ({ ...c, ...change }));
        return true;
      } catch {
        return false;
      }
    };
    const unsaved = 'The settings file could not be written. Try again.';

    if (!start.disconnect && !record({ status: 'disconnecting', disconnect: { applicationDeleted: start.applicationKey === null, tokenRevoked: false } })) return stepFailed('delete-application', unsaved);
    const progress = () => find()!.disconnect!;

    if (!progress().applicationDeleted) {
      const deleted = await ctx.data2crm().deleteApplication(start.applicationKey!);
      if (!deleted.ok && deleted.error.kind !== 'not-found') return stepFailed('delete-application', `Data2CRM did not delete the application: ${deleted.error.message}`, deleted.error);
      if (!record({ disconnect: { ...progress(), applicationDeleted: true } })) return stepFailed('delete-application', unsaved);
    }
    if (!progress().tokenRevoked) {
      const secrets = vault.secretsOf(id);
      // Only where the tray owns the client (external mode) can it revoke at Salesforce.
      if (start.mode === 'external' && start.connectedApp && secrets?.refreshToken) {
        const oauth = ctx.clients.oauthFor(start, secrets.clientSecret);
        const revoked = await oauth.revoke(secrets.refreshToken);
        if (!revoked.ok && isTransient(revoked.error)) return stepFailed('revoke', `Salesforce could not be reached to revoke the sign-in: ${revoked.error.message}`, revoked.error);
        if (!revoked.ok) logger.warn('disconnect: Salesforce refused the revocation; continuing', { id, kind: revoked.error.kind });
      }
      if (!record({ disconnect: { ...progress(), tokenRevoked: true } })) return stepFailed('revoke', unsaved);
    }
    try {
      await vault.remove(id);
    } catch {
      return stepFailed('delete-secrets', 'The keychain entry could not be deleted. Try again.');
    }
    // Salesforce cookies of this connection's sign-in window go too.
    await ctx.browser.forgetSession(id).catch(() => logger.warn('disconnect: could not clear the sign-in session', { id }));
    try {
      settings.removeConnection(id);
    } catch {
      return stepFailed('remove-record', unsaved);
    }
    logger.info('disconnect: connection removed', { id });
    return ok(undefined);
  }

  return {
    /**
     * Resumable: run it again after any failure and it continues from the last finished step.
     * Queued behind any run in flight on this connection, so it revokes the newest token.
     */
    disconnect: (id: string): Promise<Result<void, DisconnectFailure>> => {
      ctx.signIns.get(id)?.abort();
      ctx.leaving.set(id, (ctx.leaving.get(id) ?? 0) + 1);
      return ctx.queue.run(id, () => disconnectNow(id)).finally(() => {
        const left = (ctx.leaving.get(id) ?? 1) - 1;
        if (left > 0) ctx.leaving.set(id, left);
        else ctx.leaving.delete(id);
      });
    },
  };
}
