/** "Application deleted in Data2CRM": register it again with the stored tokens. */
import type { UseCaseDeps } from './deps.js';
import { guarded, keptElsewhere, notConnected, recordAction } from './results.js';

export function createRegisterAgainActions(deps: Pick<UseCaseDeps, 'settings' | 'connections' | 'keepAlive' | 'activity' | 'logger' | 'changed'>) {
  return {
    registerAgain: (id: string) =>
      guarded(deps.changed, id, async () => {
        const kept = keptElsewhere(deps.settings.connection(id));
        if (kept) return kept;
        const result = await deps.connections.registerAgain(id);
        if (!result.ok) return notConnected(deps.logger, result.error);
        deps.keepAlive.track(result.value);
        recordAction(deps.activity, 'registered-again', result.value);
        return { ok: true, message: 'Registered again in Data2CRM.' };
      }),
  };
}
