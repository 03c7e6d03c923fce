/**
 * "Disconnect…": keep-alive lets go first; the steps (connections/disconnect-flow.ts) resume where a
 * failure stopped them. A revocation Salesforce refused is said truthfully, where it stays visible
 * (a notification and the activity log: the row and the dialog go with the connection).
 */
import type { UseCaseDeps } from './deps.js';
import { guarded, keptElsewhere } from './results.js';

/** Where a person revokes a sign-in by hand when the app could not. */
const REVOKE_BY_HAND = 'Revoke it in Salesforce: Setup → Connected Apps OAuth Usage (or the user’s OAuth Connected Apps).';

export function createDisconnectActions(deps: Pick<UseCaseDeps, 'settings' | 'connections' | 'keepAlive' | 'activity' | 'changed' | 'notify'>) {
  return {
    disconnect: (id: string) =>
      guarded(deps.changed, id, async () => {
        // Disconnecting deletes the Data2CRM application and revokes the sign-in: the keeper's too.
        const kept = keptElsewhere(deps.settings.connection(id));
        if (kept) return kept;
        const label = deps.settings.connection(id)?.label;
        deps.keepAlive.forget(id);
        const result = await deps.connections.disconnect(id);
        if (!result.ok) return { ok: false, message: `${result.error.message} Disconnect again to continue where it stopped.` };
        const { notRevoked } = result.value;
        if (label !== undefined) deps.activity.record({ kind: 'disconnected', connectionId: id, label, status: 'disconnecting', ...(notRevoked ? { detail: `the sign-in was not revoked at Salesforce: ${notRevoked}` } : {}) });
        if (!notRevoked) return { ok: true, message: 'Disconnected.' };
        deps.notify?.({ title: `${label ?? 'A connection'}: sign-in not revoked at Salesforce`, body: `Disconnected here and in Data2CRM, but Salesforce refused to revoke the sign-in (${notRevoked}) so it may still work. ${REVOKE_BY_HAND}`, connectionIds: [], openDialogFor: null });
        return { ok: true, message: 'Disconnected here and in Data2CRM, but Salesforce did not revoke the sign-in (see the notification and Activity).' };
      }),
  };
}
