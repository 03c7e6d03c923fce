/**
 * Signing in again for an existing connection (its mode's flow), or taking pasted tokens for it,
 * and pushing the new credentials. The org must be the same one: signing in to another org by
 * mistake changes nothing. A disconnect meanwhile cancels the sign-in.
 */
import { signInExternal, signInInternal } from '../auth/sign-in.js';
import { err, type Result } from '../result.js';
import type { ConnectionSecrets } from '../secrets/connection-secrets.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { ConnectFailure } from './connection-failures.js';
import type { ConnectionContext } from './connection-context.js';
import type { NewCredentials } from './new-credentials.js';
import { newTokensBy } from './new-tokens-by.js';

export function createReauthorizeFlow(ctx: ConnectionContext, credentials: NewCredentials) {
  const { settings, vault, clock } = ctx;

  async function reauthorizeWith(id: string, options: { signal: AbortSignal }): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const record = settings.connection(id);
    if (!record || ctx.leaving.has(id) || record.disconnect) return err({ kind: 'invalid-input', message: 'That connection no longer exists or is being disconnected.' });
    if (newTokensBy(record) === 'paste') return err({ kind: 'invalid-input', message: 'This connection uses pasted tokens: paste new ones instead.' });
    let secrets: (current: ConnectionSecrets | null) => ConnectionSecrets;
    let instanceUrl: string;
    let issuedAt: number | null = null;
    let orgId: string;
    if (record.mode === 'internal') {
      const signIn = await signInInternal({ ...ctx.signInDeps(), authBase: settings.get().endpoints.data2crmAuthBase }, { ...options, sessionId: id });
      if (!signIn.ok) return signIn;
      const who = await ctx.verify(signIn.value.instanceUrl, signIn.value.accessToken);
      if (!who.ok) return who;
      orgId = who.value.orgId;
      const tokens = signIn.value;
      secrets = () => ({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
      instanceUrl = signIn.value.instanceUrl;
    } else {
      const current = vault.secretsOf(id);
      const oauth = ctx.clients.oauthFor(record, current?.clientSecret);
      const app = record.connectedApp!;
      const signIn = await signInExternal({ ...ctx.signInDeps(), oauth, callback: { kind: app.callback ?? 'loopback', port: app.callbackPort }, withSecret: Boolean(current?.clientSecret) }, { ...options, sessionId: id });
      if (!signIn.ok) return signIn;
      const who = await oauth.identity(signIn.value.identityUrl, signIn.value.accessToken);
      if (!who.ok) return err({ kind: 'verify-failed', message: `Salesforce did not confirm the sign-in: ${who.error.message}`, api: who.error });
      orgId = who.value.orgId;
      const tokens = signIn.value;
      secrets = (latest) => ({ ...(latest ?? current ?? {}), accessToken: tokens.accessToken, ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}) });
      instanceUrl = signIn.value.instanceUrl;
      issuedAt = signIn.value.issuedAt;
    }
    if (record.orgId && orgId !== record.orgId) return err({ kind: 'invalid-input', message: 'You signed in to a different Salesforce org than this connection’s. Nothing was changed.' });
    return credentials.storeAndPush(record, secrets, instanceUrl, issuedAt);
  }

  return {
    /**
     * Signs in again for an existing connection (its mode's flow) and pushes the new credentials.
     * The org must be the same one: signing in to another org by mistake changes nothing. A
     * disconnect meanwhile cancels the sign-in.
     */
    reauthorize(id: string, options: { signal?: AbortSignal } = {}): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const cancel = new AbortController();
      options.signal?.addEventListener('abort', () => cancel.abort(), { once: true });
      ctx.signIns.set(id, cancel);
      return reauthorizeWith(id, { signal: cancel.signal }).finally(() => {
        if (ctx.signIns.get(id) === cancel) ctx.signIns.delete(id);
      });
    },

    /** Pasted tokens for a manual (or external) connection, verified before they replace the old ones. */
    async updateWithTokens(id: string, input: { accessToken: string; refreshToken?: string }): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const record = settings.connection(id);
      if (!record) return err({ kind: 'invalid-input', message: 'That connection no longer exists.' });
      const accessToken = input.accessToken.trim();
      if (!/^[A-Za-z0-9._~+/=!:-]{10,4096}$/.test(accessToken)) return err({ kind: 'invalid-input', message: 'The access token does not look like a Salesforce access token.', field: 'accessToken' });
      const refreshToken = input.refreshToken?.trim() || undefined;
      if (refreshToken && !/^[A-Za-z0-9._~+/=!:-]{10,4096}$/.test(refreshToken)) return err({ kind: 'invalid-input', message: 'The refresh token does not look like a Salesforce refresh token.', field: 'refreshToken' });
      if (record.mode === 'internal' && !refreshToken) return err({ kind: 'invalid-input', message: 'A Data2CRM-refreshed connection needs a refresh token too.', field: 'refreshToken' });
      // Only the app that issued a refresh token can use it; a pasted-token connection has no app.
      if (record.mode === 'manual' && refreshToken) return err({ kind: 'invalid-input', message: 'This connection has no app to renew its tokens with, so a refresh token cannot be used: paste the access token alone.', field: 'refreshToken' });
      // Pasted with its app's key: the app renews with the refresh token, so a new one comes with the access token.
      if (record.connectedApp?.pasted && !refreshToken) return err({ kind: 'invalid-input', message: 'Paste the new refresh token too: the app renews this connection with it.', field: 'refreshToken' });
      const who = await ctx.verify(record.instanceUrl, accessToken);
      if (!who.ok) return who;
      if (record.orgId && who.value.orgId !== record.orgId) return err({ kind: 'invalid-input', message: 'These tokens belong to a different Salesforce org. Nothing was changed.' });
      if (record.connectedApp?.pasted && refreshToken) {
        // Proven at once, as when it was connected: the refresh token must work with the app's key.
        const fresh = await ctx.clients.oauthFor(record, vault.secretsOf(id)?.clientSecret).refresh(refreshToken);
        if (!fresh.ok && fresh.error.kind === 'credentials-rejected') return err({ kind: 'invalid-input', message: 'Salesforce does not accept this refresh token with this connection’s consumer key: it was issued by another app, or it was revoked. Nothing was changed.', field: 'refreshToken' });
        if (!fresh.ok) return err({ kind: 'verify-failed', message: `Salesforce did not renew the pasted tokens: ${fresh.error.message}`, api: fresh.error });
        const renewed = { accessToken: fresh.value.accessToken, refreshToken: fresh.value.refreshToken ?? refreshToken };
        return credentials.storeAndPush(record, (current) => ({ ...(current ?? {}), ...renewed }), record.instanceUrl, fresh.value.issuedAt);
      }
      return credentials.storeAndPush(record, (current) => ({ ...(current ?? {}), accessToken, ...(refreshToken ? { refreshToken } : {}) }), record.instanceUrl, record.mode === 'external' ? clock.now() : null);
    },
  };
}
