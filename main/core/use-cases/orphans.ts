/** "Found in the keychain": entries without a connection record, recovered or deleted by the user (never silently). */
import type { UseCaseDeps } from './deps.js';
import { guarded } from './results.js';

export function createOrphanActions(deps: Pick<UseCaseDeps, 'orphans' | 'keepAlive' | 'changed'>) {
  return {
    recoverOrphan: (id: string) =>
      guarded(deps.changed, id, async () => {
        const result = await deps.orphans.recover(id);
        if (!result.ok) return { ok: false, message: result.error.message };
        deps.keepAlive.track(result.value);
        // The detail (what an older entry could not tell) is said now: the first check replaces it.
        return { ok: true, message: `${result.value.label} is back; checking it now.${result.value.statusDetail ? ` ${result.value.statusDetail}` : ''}` };
      }),

    deleteOrphan: (id: string) =>
      guarded(deps.changed, id, async () => {
        const result = await deps.orphans.remove(id);
        return result.ok ? { ok: true, message: result.value } : { ok: false, message: result.error.message };
      }),
  };
}
