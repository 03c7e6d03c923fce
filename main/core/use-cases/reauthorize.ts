/**
 * The re-authorize / update dialog's two ways back to healthy: sign in again (the connection's own
 * flow, the same org only) or paste new tokens. New credentials that Data2CRM has not taken yet, or
 * that the keychain did not store yet, are left to keep-alive to retry.
 */
import type { UseCaseDeps } from './deps.js';
import { failedKeepingPush, guarded, keptElsewhere, recordAction, retryUnsaved } from './results.js';

export function createReauthorizeActions(deps: Pick<UseCaseDeps, 'settings' | 'vault' | 'connections' | 'keepAlive' | 'policy' | 'activity' | 'clock' | 'changed'>) {
  const { connections, keepAlive } = deps;
  return {
    reauthorize: (id: string) =>
      guarded(deps.changed, id, async () => {
        const kept = keptElsewhere(deps.settings.connection(id));
        if (kept) return kept;
        const result = await connections.reauthorize(id);
        retryUnsaved(deps, id);
        if (!result.ok) return failedKeepingPush(deps, id, result.error);
        keepAlive.track(result.value);
        deps.policy.unsnooze(id);
        recordAction(deps.activity, 'reauthorized', result.value);
        return { ok: true, message: 'Re-authorized.' };
      }),

    updateTokens: (id: string, accessToken: string, refreshToken?: string) =>
      guarded(deps.changed, id, async () => {
        const kept = keptElsewhere(deps.settings.connection(id));
        if (kept) return kept;
        const result = await connections.updateWithTokens(id, { accessToken, ...(refreshToken ? { refreshToken } : {}) });
        retryUnsaved(deps, id);
        if (!result.ok) return failedKeepingPush(deps, id, result.error);
        keepAlive.track(result.value);
        recordAction(deps.activity, 'tokens-updated', result.value);
        return { ok: true, message: 'Updated.' };
      }),
  };
}
