/**
 * The application key: the one credential the app hands out, and only when asked for. The tray's
 * "Copy application key" puts it on the clipboard; the command line's `key` prints it (the windows
 * never receive it: they see its fingerprint).
 */
import type { ActionResult } from '../../../preload/contract.js';
import type { UseCaseDeps } from './deps.js';

const NO_KEY = 'This connection has no application key.';

export function createApplicationKeyActions(deps: Pick<UseCaseDeps, 'settings' | 'clipboard'>) {
  return {
    copyApplicationKey(id: string): ActionResult {
      const record = deps.settings.connection(id);
      if (!record) return { ok: false, message: 'That connection no longer exists.' };
      const key = record.applicationKey;
      if (!key) return { ok: false, message: NO_KEY };
      deps.clipboard.writeText(key);
      return { ok: true, message: 'Application key copied.' };
    },

    /** For `data2crm-tray key`: the key itself, or why there is none. */
    applicationKey(id: string): { ok: true; key: string } | { ok: false; message: string } {
      const record = deps.settings.connection(id);
      if (!record) return { ok: false, message: 'That connection no longer exists.' };
      return record.applicationKey ? { ok: true, key: record.applicationKey } : { ok: false, message: `${NO_KEY} Register it again from its dialog.` };
    },
  };
}
