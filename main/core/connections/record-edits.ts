/**
 * Changes to an existing connection that need no sign-in: registering its application again in
 * Data2CRM with the stored tokens ("deleted in Data2CRM"), and renaming it. Both run in the
 * connection's queue, so they never overlap a keep-alive run.
 */
import { err, ok, type Result } from '../result.js';
import type { ConnectionRecord } from '../settings/schema.js';
import { applicationInput } from './application-input.js';
import type { ConnectFailure } from './connection-failures.js';
import type { ConnectionContext } from './connection-context.js';
import type { NewCredentials } from './new-credentials.js';

export function createRecordEdits(ctx: ConnectionContext, credentials: NewCredentials) {
  const { settings, vault, clock } = ctx;
  return {
    /** "Deleted in Data2CRM": register the application again with the stored tokens. */
    registerAgain: (id: string): Promise<Result<ConnectionRecord, ConnectFailure>> =>
      ctx.queue.run(id, async () => {
        const record = settings.connection(id);
        const secrets = vault.secretsOf(id);
        if (!record || !secrets) return err({ kind: 'invalid-input', message: 'That connection or its stored tokens no longer exist.' });
        // A token known to be expired is never sent: refresh it first where we can.
        const fresh = await credentials.unexpired(record, secrets);
        if (!fresh.ok) return fresh;
        const created = await ctx.data2crm().createApplication(applicationInput(record, fresh.value.secrets, record.instanceUrl));
        if (!created.ok) return err({ kind: 'register-failed', message: `Data2CRM did not register the connection: ${created.error.message}`, api: created.error });
        return ok(credentials.patchRecord(id, { ...fresh.value.patch, applicationKey: created.value, status: 'healthy', statusDetail: null, consecutiveFailures: 0, pushPending: false, lastVerifiedAt: clock.now() }));
      }),

    rename: (id: string, label: string): Promise<Result<ConnectionRecord, ConnectFailure>> =>
      ctx.queue.run(id, async () => {
        const checked = ctx.checkLabel(label);
        if (!checked.ok) return checked;
        if (!settings.connection(id)) return err({ kind: 'invalid-input', message: 'That connection no longer exists.' });
        return ok(credentials.patchRecord(id, { label: checked.value }));
      }),
  };
}
