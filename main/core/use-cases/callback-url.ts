/**
 * "Copy" beside the callback URL in the own-app wizard: the exact URL the user's app must list
 * (External Client App or connected app), from the chosen callback and port. Main copies it, as it
 * copies an application key: the windows never need clipboard rights.
 */
import type { ActionResult } from '../../../preload/contract.js';
import { callbackUrlOf, type CallbackKind } from '../../../shared/callback-urls.js';
import type { UseCaseDeps } from './deps.js';

export function createCallbackUrlActions(deps: Pick<UseCaseDeps, 'settings' | 'clipboard'>) {
  return {
    copyCallbackUrl(kind: CallbackKind, port?: number): ActionResult {
      const url = callbackUrlOf(kind, port ?? deps.settings.get().signIn.callbackPort);
      deps.clipboard.writeText(url);
      return { ok: true, message: `Copied ${url}` };
    },
  };
}
