/**
 * "Connect Salesforce org…": the three ways (Data2CRM sign-in, own connected app, pasted tokens),
 * one sign-in at a time. What is checked before any sign-in starts: the user key (registering needs
 * it), a new login host (main's confirmation), and whether this approval would end the oldest of a
 * user's five through one app (asked first). On the way, an instance host nobody trusted yet is
 * asked about in main's dialog too. Pasted tokens with the consumer key of the app that issued them
 * are kept alive like an own app's; without it a refresh token is never taken. The flows themselves
 * are connections/connect-flows.ts.
 */
import type { ActionResult, ConnectRequest } from '../../../preload/contract.js';
import type { TrustInstance } from '../auth/sign-in.js';
import { approvalWarning, atRiskBeforeSignIn, endedByNewApproval, endedWords } from '../connections/approval-limit.js';
import type { UseCaseDeps } from './deps.js';
import { notConnected } from './results.js';

/** How a connection was made, in the activity log's words. */
const CONNECTED_HOW: Record<ConnectRequest['mode'], string> = {
  internal: 'Through the Data2CRM sign-in.',
  external: 'Through your own connected app.',
  manual: 'With pasted tokens.',
};

const MAX_TRUSTED_HOSTS = 20;

export function createConnectActions(deps: Pick<UseCaseDeps, 'settings' | 'vault' | 'connections' | 'keepAlive' | 'activity' | 'endpoints' | 'logger' | 'changed'>) {
  const { settings, vault, connections, keepAlive } = deps;
  let signIn: AbortController | null = null;

  /**
   * An instance host a sign-in (or pasted tokens) named that nobody trusted yet, such as a local
   * sandbox whose addresses were set one by one: main's own dialog asks, naming the host; a yes
   * trusts it from now on, as "Use this sandbox" does.
   */
  const trustInstance: TrustInstance = async (instance) => {
    const approved = await deps.endpoints.approve({ extraInstanceHosts: [instance.host] });
    if (!approved.ok) return false;
    try {
      settings.update((s) => ({ ...s, extraInstanceHosts: [...s.extraInstanceHosts.filter((h) => h !== instance.host), instance.host].slice(-MAX_TRUSTED_HOSTS) }));
    } catch {
      return false;
    }
    deps.logger.info('connect: instance host trusted by the user', { host: instance.host });
    return true;
  };

  function run(request: ConnectRequest, signal: AbortSignal) {
    switch (request.mode) {
      case 'internal':
        return connections.connectInternal({ label: request.label, crmType: request.crmType }, { signal, trustInstance });
      case 'external':
        return connections.connectExternal({ label: request.label, crmType: request.crmType, loginHost: request.loginHost, clientId: request.clientId, ...(request.clientSecret ? { clientSecret: request.clientSecret } : {}), ...(request.callbackPort ? { callbackPort: request.callbackPort } : {}), ...(request.callback ? { callback: request.callback } : {}) }, { signal });
      case 'manual': {
        const pasted = { label: request.label, crmType: request.crmType, instanceUrl: request.instanceUrl, accessToken: request.accessToken };
        // A refresh token is usable only with the consumer key of the app that issued it.
        if (request.clientId && request.refreshToken) return connections.connectPastedWithApp({ ...pasted, refreshToken: request.refreshToken, clientId: request.clientId, ...(request.clientSecret ? { clientSecret: request.clientSecret } : {}) }, { trustInstance });
        return connections.connectManual({ ...pasted, ...(request.refreshToken ? { refreshToken: request.refreshToken } : {}) }, { trustInstance });
      }
    }
  }

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
        const result = await run(request, signal);
        if (!result.ok) return notConnected(deps.logger, result.error);
        keepAlive.track(result.value);
        deps.activity.record({ kind: 'connected', connectionId: result.value.id, label: result.value.label, status: result.value.status, detail: request.mode === 'manual' && result.value.mode === 'external' ? 'With pasted tokens, renewed through your app.' : CONNECTED_HOW[request.mode] });
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
