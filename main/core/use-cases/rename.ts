/** Renaming a connection; the activity log keeps the old name. */
import type { UseCaseDeps } from './deps.js';
import { failed, guarded } from './results.js';

export function createRenameActions(deps: Pick<UseCaseDeps, 'settings' | 'connections' | 'activity' | 'changed'>) {
  return {
    rename: (id: string, label: string) =>
      guarded(deps.changed, id, async () => {
        const before = deps.settings.connection(id)?.label;
        const result = await deps.connections.rename(id, label);
        if (!result.ok) return failed(result.error);
        const after = deps.settings.connection(id);
        if (after && before !== undefined && before !== after.label) deps.activity.record({ kind: 'renamed', connectionId: id, label: after.label, status: after.status, detail: `Was “${before}”.` });
        return { ok: true, message: 'Renamed.' };
      }),
  };
}
