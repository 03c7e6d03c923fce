/**
 * "Connect Salesforce org…": the three ways (Data2CRM sign-in, own connected app, pasted tokens),
 * one sign-in at a time. What is checked before any sign-in starts: the user key (registering needs
 * it), a new login host (main's confirmation), and whether this approval would end the oldest of a
 * user's five through one app (asked first). The flows themselves are connections/connect-flows.ts.
 */
import type { ActionResult, ConnectRequest } from '../../../preload/contract.js';
import { approvalWarning, atRiskBeforeSignIn, endedByNewApproval, endedWords } from '../connections/approval-limit.js';
import type { UseCaseDeps } from './deps.js';
import { notConnected } from './results.js';

/** How a connection was made, in the activity log's words. */
const CONNECTED_HOW: Record<ConnectRequest['mode'], string> = {
  internal: 'Through the Data2CRM sign-in.',
  external: 'Through your own connected app.',
  manual: 'With pasted tokens.',
};

export function createConnectActions(deps: Pick<UseCaseDeps, 'settings' | 'vault' | 'connections' | 'keepAlive' | 'activity' | 'endpoints' | 'logger' | 'changed'>) {
  const { settings, vault, connections, keepAlive } = deps;
  let signIn: AbortController | null = null;

  return {
    async connect(request: ConnectRequest): Promise<ActionResult> {
      // The user key is known once the keychain's listing has ended (it runs in the background at startup).
      await vault.whenLoaded();
      if (signIn) return { ok: false, message: 'A sign-in is already in progress. Finish or cancel it first.' };
      // Checked before any sign-in: registering the org at the end needs the key.
      if (vault.userKey() === null) return { ok: false, message: 'Set your Data2CRM user key under Account first: registering the org needs it. Nothing was started.' };
      if (request.mode === 'external') {
        const approved = await deps.endpoints.approve({ connectionLoginHost: request.loginHost });
        if (!approved.ok) return { ok: false, message: approved.error, field: 'loginHost' };
      }
      // A sixth approval of one user through one app ends the oldest: asked before the sign-in.
      if (request.mode !== 'manual' && !request.replaceOldest) {
        const atRisk = atRiskBeforeSignIn(settings.get().connections, request.mode === 'internal' ? { mode: 'internal', connectedApp: null } : { mode: 'external', connectedApp: { clientId: request.clientId.trim(), callbackPort: 0 } });
        if (atRisk.length > 0) return { ok: false, message: approvalWarning(atRisk, request.mode), field: 'replaceOldest' };
      }
      signIn = new AbortController();
      const signal = signIn.signal;
      try {
        const result =
          request.mode === 'internal'
            ? await connections.connectInternal({ label: request.label, crmType: request.crmType }, { signal })
            : request.mode === 'external'
              ? await connections.connectExternal({ label: request.label, crmType: request.crmType, loginHost: request.loginHost, clientId: request.clientId, ...(request.clientSecret ? { clientSecret: request.clientSecret } : {}), ...(request.callbackPort ? { callbackPort: request.callbackPort } : {}) }, { signal })
              : await connections.connectManual({ label: request.label, crmType: request.crmType, instanceUrl: request.instanceUrl, accessToken: request.accessToken, ...(request.refreshToken ? { refreshToken: request.refreshToken } : {}) });
        if (!result.ok) return notConnected(deps.logger, result.error);
        keepAlive.track(result.value);
        deps.activity.record({ kind: 'connected', connectionId: result.value.id, label: result.value.label, status: result.value.status, detail: CONNECTED_HOW[request.mode] });
        // The connections this approval ended are checked at once, so their state shows.
        const ended = endedByNewApproval(settings.get().connections, result.value);
        for (const c of ended) await keepAlive.refreshNow(c.id);
        const checked = ended.map((c) => settings.connection(c.id) ?? c);
        return { ok: true, message: `${result.value.label} is connected.`, ...(checked.length > 0 ? { notice: endedWords(checked) } : {}) };
      } finally {
        signIn = null;
        deps.changed();
      }
    },

    cancelSignIn(): ActionResult {
      signIn?.abort();
      return { ok: true };
    },
  };
}
