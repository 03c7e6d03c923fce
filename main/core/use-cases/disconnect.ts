/** "Disconnect…": keep-alive lets go first; the steps (connections/disconnect-flow.ts) resume where a failure stopped them. */
import type { UseCaseDeps } from './deps.js';
import { guarded, keptElsewhere } from './results.js';

export function createDisconnectActions(deps: Pick<UseCaseDeps, 'settings' | 'connections' | 'keepAlive' | 'activity' | 'changed'>) {
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
        if (label !== undefined) deps.activity.record({ kind: 'disconnected', connectionId: id, label, status: 'disconnecting' });
        return { ok: true, message: 'Disconnected.' };
      }),
  };
}
