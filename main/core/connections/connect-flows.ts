/**
 * Connecting a Salesforce org, three ways: sign in (or take pasted tokens), verify who it is, keep
 * the secrets in the keychain, register the Data2CRM application, record the connection. A failure
 * at any step undoes the earlier ones, so nothing half-made is left.
 */
import type { CallbackKind } from '../../../shared/callback-urls.js';
import { appSetupProblem } from '../auth/app-setup-errors.js';
import { signInWithDevice, type DeviceCodePrompt } from '../auth/device-sign-in.js';
import { notTrusted, signInExternal, signInInternal, type TrustInstance } from '../auth/sign-in.js';
import type { CrmType } from '../data2crm/types.js';
import { learnLifetime } from '../keepalive/token-lifetime.js';
import { err, ok, type Result } from '../result.js';
import { isTrustedSalesforceUrl, trustableInstance } from '../salesforce/hosts.js';
import type { ConnectionSecrets } from '../secrets/connection-secrets.js';
import { loginBaseUrl } from '../settings/endpoints.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { ConnectFailure } from './connection-failures.js';
import type { ConnectionContext } from './connection-context.js';
import { entryMeta } from './entry-meta.js';
import { notSavedBecause } from '../state-database/storage-failure.js';

export interface ExternalConnectInput {
  readonly label: string;
  readonly crmType: CrmType;
  readonly loginHost: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly callbackPort?: number;
  /** Which callback the app registered (default: loopback on callbackPort). */
  readonly callback?: CallbackKind;
}

/** Tokens of the user's own connected app, with the app (client id, optional secret) and its login host. */
export interface ExternalTokensInput {
  readonly label: string;
  readonly crmType: CrmType;
  readonly loginHost: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly tokens: { readonly accessToken: string; readonly refreshToken: string; readonly instanceUrl: string; readonly issuedAt: number | null };
  /** Pasted by the user with the app's key (no sign-in with the app set up here): its new tokens are pasted too. */
  readonly pasted?: boolean;
}

/** Pasted tokens with the consumer key (and secret, if the app wants it) of the app that issued them. */
export interface PastedWithAppInput extends ManualConnectInput {
  readonly refreshToken: string;
  readonly clientId: string;
  readonly clientSecret?: string;
}

/** What a connect may ask the user on the way (main's own dialog). */
export interface ConnectOptions {
  readonly signal?: AbortSignal;
  /** An instance host nobody trusted yet: may the app send tokens there? */
  readonly trustInstance?: TrustInstance;
}

const TOKEN_SHAPE = /^[A-Za-z0-9._~+/=!:-]{10,4096}$/;
const CLIENT_ID_SHAPE = /^[\w.~-]{1,300}$/;

export interface ManualConnectInput {
  readonly label: string;
  readonly crmType: CrmType;
  readonly instanceUrl: string;
  readonly accessToken: string;
  readonly refreshToken?: string;
}

type RecordBase = Omit<ConnectionRecord, 'id' | 'applicationKey' | 'createdAt' | 'lastVerifiedAt' | 'lastRefreshedAt' | 'status' | 'statusDetail' | 'consecutiveFailures' | 'troubleSince' | 'troubleTold' | 'pushPending' | 'disconnect'>;

export function createConnectFlows(ctx: ConnectionContext) {
  const { settings, vault, clock, logger, data2crm } = ctx;
  type Register = () => ReturnType<ReturnType<typeof data2crm>['createApplication']>;

  /**
   * Secrets first, then Data2CRM, then the record; each failure undoes what came before. The
   * entry carries the record's metadata (and, once registered, the application key), so a crash
   * before the record is saved leaves an orphan that can be rebuilt.
   */
  async function finish(id: string, base: RecordBase, secrets: ConnectionSecrets, register: Register): Promise<Result<ConnectionRecord, ConnectFailure>> {
    ctx.connecting.add(id);
    try {
      return await finishConnecting(id, base, secrets, register);
    } finally {
      ctx.connecting.delete(id);
    }
  }

  async function finishConnecting(id: string, base: RecordBase, secrets: ConnectionSecrets, register: Register): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const now = clock.now();
    const meta = entryMeta(base, null, now);
    if (!(await vault.save(id, { ...secrets, meta }))) {
      vault.discard(id);
      return err({ kind: 'storage-failed', message: 'The keychain refused to store the connection’s tokens. Nothing was registered.' });
    }
    const registered = await register();
    if (!registered.ok) {
      await vault.remove(id).catch(() => logger.warn('connect: could not remove secrets after a failed registration', { id }));
      return err({ kind: 'register-failed', message: `Data2CRM did not register the connection: ${registered.error.message}`, api: registered.error });
    }
    // Only metadata: if this write fails, keep-alive retries it like any unsaved entry.
    await vault.save(id, { ...vault.secretsOf(id)!, meta: { ...meta, applicationKey: registered.value } });
    const record: ConnectionRecord = { ...base, id, applicationKey: registered.value, createdAt: now, lastVerifiedAt: now, lastRefreshedAt: null, status: 'healthy', statusDetail: null, consecutiveFailures: 0, troubleSince: null, troubleTold: false, pushPending: false, disconnect: null };
    try {
      settings.putConnection(record);
    } catch (error) {
      await data2crm().deleteApplication(registered.value);
      await vault.remove(id).catch(() => undefined);
      return err({ kind: 'storage-failed', message: `The connection was not kept: ${notSavedBecause(error)}.` });
    }
    logger.info('connect: connection added', { id, mode: record.mode, orgId: record.orgId });
    return ok(record);
  }

  /** The instance URL of pasted tokens: trusted, or trusted now by the user (main's dialog), or why not. */
  async function trustedInstance(instanceUrl: string, options: ConnectOptions): Promise<Result<string, ConnectFailure>> {
    if (isTrustedSalesforceUrl(instanceUrl, ctx.extraHosts())) return ok(new URL(instanceUrl).origin);
    const instance = trustableInstance(instanceUrl);
    if (!instance) return err({ kind: 'invalid-input', message: 'The instance URL must be an https Salesforce address, such as https://yourdomain.my.salesforce.com.', field: 'instanceUrl' });
    if (!options.trustInstance || !(await options.trustInstance(instance))) return err({ kind: 'invalid-input', message: notTrusted(instance, 'pasted'), field: 'instanceUrl' });
    return ok(instance.origin);
  }

  /**
   * Tokens of the user's own connected app obtained without a redirect (pasted, into the app or a
   * keeper, or from the device flow): an external connection the app refreshes itself with the app's client id.
   * Verified with Salesforce before anything is registered, like pasted tokens.
   */
  async function connectExternalWithTokens(input: ExternalTokensInput): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const label = ctx.checkLabel(input.label);
    if (!label.ok) return label;
    const loginBase = loginBaseUrl(input.loginHost);
    if (!loginBase.ok) return err({ kind: 'invalid-input', message: loginBase.error, field: 'loginHost' });
    const clientId = input.clientId.trim();
    if (!CLIENT_ID_SHAPE.test(clientId)) return err({ kind: 'invalid-input', message: 'Enter the connected app’s consumer key (client id).', field: 'clientId' });
    const instanceUrl = input.tokens.instanceUrl.trim();
    if (!isTrustedSalesforceUrl(instanceUrl, ctx.extraHosts())) return err({ kind: 'invalid-input', message: 'The instance URL must be an https Salesforce address, such as https://yourdomain.my.salesforce.com.', field: 'instanceUrl' });
    const accessToken = input.tokens.accessToken.trim();
    const refreshToken = input.tokens.refreshToken.trim();
    if (!TOKEN_SHAPE.test(accessToken)) return err({ kind: 'invalid-input', message: 'The access token does not look like a Salesforce access token.', field: 'accessToken' });
    if (!TOKEN_SHAPE.test(refreshToken)) return err({ kind: 'invalid-input', message: 'Without a refresh token the connection cannot be renewed: add the refresh token.', field: 'refreshToken' });
    const origin = new URL(instanceUrl).origin;
    const who = await ctx.verify(origin, accessToken);
    if (!who.ok) return who;
    const oauth = ctx.clients.oauth({ loginBaseUrl: loginBase.value, clientId, clientSecret: input.clientSecret || undefined });
    const issuedAt = input.tokens.issuedAt;
    return finish(
      ctx.newId(),
      { label: label.value, mode: 'external', crmType: input.crmType, loginBaseUrl: loginBase.value, instanceUrl: origin, orgId: who.value.orgId, userId: who.value.userId, username: who.value.username, connectedApp: { clientId, callbackPort: settings.get().signIn.callbackPort, ...(input.pasted ? { pasted: true as const } : {}) }, tokenIssuedAt: issuedAt, tokenReceivedAt: clock.now(), learnedLifetimeMs: issuedAt === null ? null : await learnLifetime(oauth, accessToken, issuedAt, input.clientSecret || undefined) },
      { accessToken, refreshToken, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) },
      () => data2crm().createApplication({ type: input.crmType, description: label.value, authorization: 'oAuth-external-refresh', credentials: { instanceUrl: origin, accessToken } }),
    );
  }

  /** Salesforce's device flow for the user's own connected app (a keeper has no browser). */
  async function connectWithDevice(input: Omit<ExternalTokensInput, 'tokens'>, options: { onPrompt: (prompt: DeviceCodePrompt) => void; signal?: AbortSignal }): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const loginBase = loginBaseUrl(input.loginHost);
    if (!loginBase.ok) return err({ kind: 'invalid-input', message: loginBase.error, field: 'loginHost' });
    const oauth = ctx.clients.oauth({ loginBaseUrl: loginBase.value, clientId: input.clientId.trim(), clientSecret: input.clientSecret || undefined });
    const signIn = await signInWithDevice(oauth, { clock, onPrompt: options.onPrompt, ...(options.signal ? { signal: options.signal } : {}) });
    if (!signIn.ok) return signIn;
    const tokens = signIn.value;
    if (!tokens.refreshToken) return err({ kind: 'invalid-input', message: 'Salesforce issued no refresh token: add the "refresh_token, offline_access" scope to the connected app.' });
    return connectExternalWithTokens({ ...input, tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, instanceUrl: tokens.instanceUrl, issuedAt: tokens.issuedAt } });
  }

  return {
    connectExternalWithTokens,
    connectWithDevice,

    /** oAuth-internal: Data2CRM's own sign-in; Data2CRM refreshes from then on. */
    async connectInternal(input: { label: string; crmType: CrmType }, options: ConnectOptions = {}): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const label = ctx.checkLabel(input.label);
      if (!label.ok) return label;
      // The connection's id names its persistent sign-in session from the first sign-in on.
      const id = ctx.newId();
      const signIn = await signInInternal({ ...ctx.signInDeps(), authBase: settings.get().endpoints.data2crmAuthBase, ...(options.trustInstance ? { trustInstance: options.trustInstance } : {}) }, { ...(options.signal ? { signal: options.signal } : {}), sessionId: id });
      if (!signIn.ok) await ctx.browser.forgetSession(id);
      if (!signIn.ok) return signIn;
      const tokens = signIn.value;
      const who = await ctx.verify(tokens.instanceUrl, tokens.accessToken);
      if (!who.ok) return who;
      const loginBase = loginBaseUrl(settings.get().endpoints.salesforceLoginHost);
      return finish(
        id,
        { label: label.value, mode: 'internal', crmType: input.crmType, loginBaseUrl: loginBase.ok ? loginBase.value : 'https://login.salesforce.com', instanceUrl: tokens.instanceUrl, orgId: who.value.orgId, userId: who.value.userId, username: who.value.username, connectedApp: null, tokenIssuedAt: null, tokenReceivedAt: clock.now(), learnedLifetimeMs: null },
        { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
        () => data2crm().createApplication({ type: input.crmType, description: label.value, authorization: 'oAuth-internal', credentials: tokens }),
      );
    },

    /** oAuth-external-refresh: the user's own app (External Client App or connected app); the refresh token never leaves the keychain. */
    async connectExternal(input: ExternalConnectInput, options: { signal?: AbortSignal } = {}): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const label = ctx.checkLabel(input.label);
      if (!label.ok) return label;
      const loginBase = loginBaseUrl(input.loginHost);
      if (!loginBase.ok) return err({ kind: 'invalid-input', message: loginBase.error, field: 'loginHost' });
      if (!CLIENT_ID_SHAPE.test(input.clientId.trim())) return err({ kind: 'invalid-input', message: 'Enter the connected app’s consumer key (client id).', field: 'clientId' });
      const callbackPort = input.callbackPort ?? settings.get().signIn.callbackPort;
      const callback = input.callback ?? 'loopback';
      const oauth = ctx.clients.oauth({ loginBaseUrl: loginBase.value, clientId: input.clientId.trim(), clientSecret: input.clientSecret || undefined });
      const id = ctx.newId();
      const signIn = await signInExternal({ ...ctx.signInDeps(), oauth, callback: { kind: callback, port: callbackPort }, withSecret: Boolean(input.clientSecret) }, { ...options, sessionId: id });
      if (!signIn.ok) await ctx.browser.forgetSession(id);
      if (!signIn.ok) return signIn;
      const tokens = signIn.value;
      const who = await oauth.identity(tokens.identityUrl, tokens.accessToken);
      if (!who.ok) return err({ kind: 'verify-failed', message: `Salesforce did not confirm the sign-in: ${who.error.message}`, api: who.error });
      return finish(
        id,
        { label: label.value, mode: 'external', crmType: input.crmType, loginBaseUrl: loginBase.value, instanceUrl: tokens.instanceUrl, orgId: who.value.orgId, userId: who.value.userId, username: who.value.username, connectedApp: { clientId: input.clientId.trim(), callbackPort, ...(callback === 'loopback' ? {} : { callback }) }, tokenIssuedAt: tokens.issuedAt, tokenReceivedAt: clock.now(), learnedLifetimeMs: await learnLifetime(oauth, tokens.accessToken, tokens.issuedAt, input.clientSecret || undefined) },
        { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken!, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) },
        () => data2crm().createApplication({ type: input.crmType, description: label.value, authorization: 'oAuth-external-refresh', credentials: { instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken } }),
      );
    },

    /** Pasted tokens, verified with Salesforce before anything is registered; they last as long as the access token. */
    async connectManual(input: ManualConnectInput, options: ConnectOptions = {}): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const label = ctx.checkLabel(input.label);
      if (!label.ok) return label;
      const accessToken = input.accessToken.trim();
      if (!TOKEN_SHAPE.test(accessToken)) return err({ kind: 'invalid-input', message: 'The access token does not look like a Salesforce access token.', field: 'accessToken' });
      // Only the app that issued a refresh token can use it: without its consumer key it is never taken.
      if (input.refreshToken?.trim()) return err({ kind: 'invalid-input', message: 'A refresh token works only with the consumer key of the app that issued it: add the consumer key, or leave the refresh token out.', field: 'clientId' });
      const origin = await trustedInstance(input.instanceUrl.trim(), options);
      if (!origin.ok) return origin;
      const who = await ctx.verify(origin.value, accessToken);
      if (!who.ok) return who;
      const loginBase = loginBaseUrl(settings.get().endpoints.salesforceLoginHost);
      return finish(
        ctx.newId(),
        { label: label.value, mode: 'manual', crmType: input.crmType, loginBaseUrl: loginBase.ok ? loginBase.value : 'https://login.salesforce.com', instanceUrl: origin.value, orgId: who.value.orgId, userId: who.value.userId, username: who.value.username, connectedApp: null, tokenIssuedAt: null, tokenReceivedAt: clock.now(), learnedLifetimeMs: null },
        { accessToken },
        () => data2crm().createApplication({ type: input.crmType, description: label.value, authorization: 'oAuth-external-refresh', credentials: { instanceUrl: origin.value, accessToken } }),
      );
    },

    /**
     * Pasted tokens with the consumer key of the app that issued them: one refresh at once proves
     * the refresh token works with that key (and gives an access token whose age we know), then the
     * connection is kept alive like an own-app one. The token endpoint is the instance's own (every
     * org's My Domain answers there).
     */
    async connectPastedWithApp(input: PastedWithAppInput, options: ConnectOptions = {}): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const label = ctx.checkLabel(input.label);
      if (!label.ok) return label;
      const clientId = input.clientId.trim();
      if (!CLIENT_ID_SHAPE.test(clientId)) return err({ kind: 'invalid-input', message: 'A consumer key has only letters, digits and . _ ~ - : check what was pasted.', field: 'clientId' });
      const refreshToken = input.refreshToken.trim();
      if (!TOKEN_SHAPE.test(refreshToken)) return err({ kind: 'invalid-input', message: 'The refresh token does not look like a Salesforce refresh token.', field: 'refreshToken' });
      if (!TOKEN_SHAPE.test(input.accessToken.trim())) return err({ kind: 'invalid-input', message: 'The access token does not look like a Salesforce access token.', field: 'accessToken' });
      const origin = await trustedInstance(input.instanceUrl.trim(), options);
      if (!origin.ok) return origin;
      const clientSecret = input.clientSecret?.trim() || undefined;
      const oauth = ctx.clients.oauth({ loginBaseUrl: origin.value, clientId, clientSecret });
      const fresh = await oauth.refresh(refreshToken);
      if (!fresh.ok) {
        const code = 'code' in fresh.error ? fresh.error.code : null;
        const problem = appSetupProblem(code, fresh.error.message, { callbackUrl: '', withSecret: Boolean(clientSecret) });
        if (problem && problem.field !== 'callback') return err({ kind: 'invalid-input', message: problem.message, field: problem.field });
        if (fresh.error.kind === 'credentials-rejected') return err({ kind: 'invalid-input', message: 'Salesforce does not accept this refresh token with this consumer key: it was issued by another app, or it was revoked. Paste the consumer key of the app that issued it, or new tokens. Nothing was stored.', field: 'refreshToken' });
        return err({ kind: 'verify-failed', message: `Salesforce did not renew the pasted tokens: ${fresh.error.message}`, api: fresh.error });
      }
      return connectExternalWithTokens({
        label: label.value,
        crmType: input.crmType,
        loginHost: origin.value,
        clientId,
        ...(clientSecret ? { clientSecret } : {}),
        tokens: { accessToken: fresh.value.accessToken, refreshToken: fresh.value.refreshToken ?? refreshToken, instanceUrl: origin.value, issuedAt: fresh.value.issuedAt },
        pasted: true,
      });
    },
  };
}
