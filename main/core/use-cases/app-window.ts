/** The window's own buttons: close the window that asked, and quit the app (as the tray's Quit does). */
import type { ActionResult } from '../../../preload/contract.js';
import type { UseCaseDeps } from './deps.js';

export function createAppWindowActions(deps: Pick<UseCaseDeps, 'closeWindow' | 'quit'>) {
  return {
    closeWindow(): ActionResult {
      deps.closeWindow();
      return { ok: true };
    },

    quit(): ActionResult {
      deps.quit();
      return { ok: true };
    },
  };
}
