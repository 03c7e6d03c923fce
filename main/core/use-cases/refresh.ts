/** "Refresh now": one connection checked (and renewed where its mode allows) at once, in its queue. */
import type { ActionResult } from '../../../preload/contract.js';
import type { UseCaseDeps } from './deps.js';
import { guarded, keptElsewhere } from './results.js';

export function createRefreshActions(deps: Pick<UseCaseDeps, 'settings' | 'keepAlive' | 'changed'>) {
  const { settings, keepAlive } = deps;
  return {
    refreshNow: (id: string) =>
      guarded(deps.changed, id, async (): Promise<ActionResult> => {
        if (!settings.connection(id)) return { ok: false, message: 'That connection no longer exists.' };
        const kept = keptElsewhere(settings.connection(id));
        if (kept) return kept;
        if (keepAlive.serviceKeyRejected()) return { ok: false, message: 'Data2CRM rejected the user key, so nothing can be refreshed. Enter a working key under Account; refreshing resumes then.' };
        await keepAlive.refreshNow(id);
        if (keepAlive.serviceKeyRejected()) return { ok: false, message: 'Data2CRM rejected the user key, so the refresh could not be completed. Enter a working key under Account.' };
        const after = settings.connection(id);
        if (after?.status !== 'healthy') return { ok: false, message: after?.statusDetail ?? 'The refresh did not succeed.' };
        return { ok: true, message: 'Refreshed and verified.' };
      }),
  };
}
