/** "Copy application key": the one credential the app hands out, and only when asked for. */
import type { ActionResult } from '../../../preload/contract.js';
import type { UseCaseDeps } from './deps.js';

export function createApplicationKeyActions(deps: Pick<UseCaseDeps, 'settings' | 'clipboard'>) {
  return {
    copyApplicationKey(id: string): ActionResult {
      const key = deps.settings.connection(id)?.applicationKey;
      if (!key) return { ok: false, message: 'This connection has no application key.' };
      deps.clipboard.writeText(key);
      return { ok: true, message: 'Application key copied.' };
    },
  };
}
