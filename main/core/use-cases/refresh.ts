/** "Refresh now": one connection checked (and renewed where its mode allows) at once, in its queue. */
import type { ActionResult } from '../../../preload/contract.js';
import type { UseCaseDeps } from './deps.js';
import { guarded, keptElsewhere } from './results.js';

const KEY_STILL_REJECTED = 'Data2CRM still rejects the user key, so the refresh could not be completed. Enter a working key under Account.';

export function createRefreshActions(deps: Pick<UseCaseDeps, 'settings' | 'keepAlive' | 'changed'>) {
  const { settings, keepAlive } = deps;
  return {
    refreshNow: (id: string) =>
      guarded(deps.changed, id, async (): Promise<ActionResult> => {
        if (!settings.connection(id)) return { ok: false, message: 'That connection no longer exists.' };
        const kept = keptElsewhere(settings.connection(id));
        if (kept) return kept;
        // Also while the key is rejected: one try, and a refresh that gets through clears that state everywhere.
        const keyRejectedBefore = keepAlive.serviceKeyRejected();
        let keyRefused = false;
        const unsubscribe = keepAlive.onChecked((check) => void (check.connectionId === id && (keyRefused = check.serviceKeyRejected)));
        try {
          await keepAlive.refreshNow(id);
        } finally {
          unsubscribe();
        }
        if (keyRefused) return { ok: false, message: KEY_STILL_REJECTED };
        const after = settings.connection(id);
        // The key is still rejected but this try failed before Data2CRM (Salesforce, the network): say why.
        if (after?.status !== 'healthy' || keepAlive.serviceKeyRejected()) return { ok: false, message: after?.statusDetail ?? 'The refresh did not succeed.' };
        return { ok: true, message: keyRejectedBefore ? 'Refreshed and verified: Data2CRM accepts the user key again, and automatic refresh resumes.' : 'Refreshed and verified.' };
      }),
  };
}
