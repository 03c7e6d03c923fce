/** Snoozing a connection's notifications for the configured span (the dialog's and the notification's "Later"). */
import type { ActionResult } from '../../../preload/contract.js';
import type { UseCaseDeps } from './deps.js';
import { MIN } from './results.js';

export function createSnoozeActions(deps: Pick<UseCaseDeps, 'settings' | 'policy' | 'changed'>) {
  return {
    snooze(id: string): ActionResult {
      const { settings } = deps;
      deps.policy.snooze(id, settings.get().general.snoozeMs);
      deps.changed([id]);
      const hours = Math.round(settings.get().general.snoozeMs / MIN / 60);
      return { ok: true, message: `Notifications snoozed for ${hours >= 24 ? `${Math.round(hours / 24)} day${hours >= 48 ? 's' : ''}` : `${hours} h`}.` };
    },
  };
}
