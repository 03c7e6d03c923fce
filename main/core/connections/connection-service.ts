/**
 * Connect and disconnect Salesforce orgs. Connect: sign in (or take pasted tokens), verify who it
 * is, keep the secrets in the keychain, register the Data2CRM application, record the connection.
 * A failure at any step undoes the earlier ones, so nothing half-made is left. Disconnect is
 * idempotent and resumable: each finished step is recorded before the next starts.
 */
import { randomUUID } from 'node:crypto';
import { LIMITS } from '../../../preload/contract.js';
import { signInWithDevice, type DeviceCodePrompt } from '../auth/device-sign-in.js';
import { signInExternal, signInInternal, type SignInFailure } from '../auth/sign-in.js';
import type { CrmType } from '../data2crm/types.js';
import { isTransient, type ApiFailure } from '../http/api-failure.js';
import type { AuthBrowser, Clock, HttpFetch, Logger, RedirectListener } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import { isTrustedSalesforceUrl } from '../salesforce/hosts.js';
import { createServiceClients } from '../service-clients.js';
import type { Identity } from '../salesforce/types.js';
import { fetchUserInfo } from '../salesforce/userinfo.js';
import type { ConnectionSecrets } from '../secrets/connection-secrets.js';
import { entryMeta } from './entry-meta.js';
import { estimatedExpiry, learnLifetime } from '../keepalive/token-lifetime.js';
import { loginBaseUrl } from '../settings/endpoints.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { SettingsRepository } from '../settings/settings-repository.js';
import { UNSAVED_SECRETS } from '../secrets/storage-messages.js';
import { applicationInput } from './application-input.js';
import { createConnectionQueue, type ConnectionQueue } from './connection-queue.js';
import type { SecretVault } from './secret-vault.js';

export type ConnectFailure =
  | SignInFailure
  | { kind: 'invalid-input'; message: string; field?: string }
  | { kind: 'verify-failed'; message: string; api: ApiFailure }
  | { kind: 'register-failed'; message: string; api: ApiFailure }
  | { kind: 'storage-failed'; message: string };

export type DisconnectFailure = { kind: 'not-found'; message: string } | { kind: 'step-failed'; step: 'delete-application' | 'revoke' | 'delete-secrets' | 'remove-record'; message: string; api?: ApiFailure };

export interface ConnectionServiceDeps {
  readonly settings: SettingsRepository;
  readonly vault: SecretVault;
  readonly listener: RedirectListener;
  readonly browser: AuthBrowser;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch?: HttpFetch;
  readonly newId?: () => string;
  /** Shared with keep-alive, so runs and user actions on one connection never overlap. */
  readonly queue?: ConnectionQueue;
}

export interface ExternalConnectInput {
  readonly label: string;
  readonly crmType: CrmType;
  readonly loginHost: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly callbackPort?: number;
}

/** Tokens of the user's own connected app, with the app (client id, optional secret) and its login host. */
export interface ExternalTokensInput {
  readonly label: string;
  readonly crmType: CrmType;
  readonly loginHost: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly tokens: { readonly accessToken: string; readonly refreshToken: string; readonly instanceUrl: string; readonly issuedAt: number | null };
}

export interface ManualConnectInput {
  readonly label: string;
  readonly crmType: CrmType;
  readonly instanceUrl: string;
  readonly accessToken: string;
  readonly refreshToken?: string;
}

const LABEL_MAX = LIMITS.label;

export function createConnectionService(deps: ConnectionServiceDeps) {
  const { settings, vault, clock, logger } = deps;
  const newId = deps.newId ?? (() => randomUUID());
  const queue = deps.queue ?? createConnectionQueue();
  /** Re-authorizations signing in, so a disconnect can cancel them. */
  const signIns = new Map<string, AbortController>();
  /** Connects between their keychain write and their record: not orphans. */
  const connecting = new Set<string>();
  /** Connections with a disconnect asked for: no new sign-in starts for them. */
  const leaving = new Map<string, number>();
  const fetchImpl = deps.fetch;
  const extraHosts = () => settings.get().extraInstanceHosts;
  const clients = createServiceClients({ settings, vault, clock, fetch: fetchImpl });
  const data2crm = clients.data2crm;
  const signInDeps = () => ({ listener: deps.listener, browser: deps.browser, clock, timeoutMs: settings.get().signIn.timeoutMs, extraInstanceHosts: extraHosts() });

  function checkLabel(label: string): Result<string, ConnectFailure> {
    const trimmed = label.trim();
    if (!trimmed) return err({ kind: 'invalid-input', message: 'Give the connection a name.', field: 'label' });
    if (trimmed.length > LABEL_MAX) return err({ kind: 'invalid-input', message: `Keep the name under ${LABEL_MAX} characters.`, field: 'label' });
    return ok(trimmed);
  }

  async function verify(instanceUrl: string, accessToken: string): Promise<Result<Identity, ConnectFailure>> {
    const identity = await fetchUserInfo({ instanceUrl, accessToken, extraHosts: extraHosts(), ...(fetchImpl ? { fetch: fetchImpl } : {}) });
    return identity.ok ? identity : err({ kind: 'verify-failed', message: `Salesforce did not confirm the sign-in: ${identity.error.message}`, api: identity.error });
  }

  /**
   * Secrets first, then Data2CRM, then the record; each failure undoes what came before. The
   * entry carries the record's metadata (and, once registered, the application key), so a crash
   * before the record is saved leaves an orphan that can be rebuilt.
   */
  async function finish(
    id: string,
    base: Omit<ConnectionRecord, 'id' | 'applicationKey' | 'createdAt' | 'lastVerifiedAt' | 'lastRefreshedAt' | 'status' | 'statusDetail' | 'consecutiveFailures' | 'pushPending' | 'disconnect'>,
    secrets: ConnectionSecrets,
    register: () => ReturnType<ReturnType<typeof data2crm>['createApplication']>,
  ): Promise<Result<ConnectionRecord, ConnectFailure>> {
    connecting.add(id);
    try {
      return await finishConnecting(id, base, secrets, register);
    } finally {
      connecting.delete(id);
    }
  }

  async function finishConnecting(id: string, base: Parameters<typeof finish>[1], secrets: ConnectionSecrets, register: Parameters<typeof finish>[3]): Promise<Result<ConnectionRecord, ConnectFailure>> {
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
    const record: ConnectionRecord = { ...base, id, applicationKey: registered.value, createdAt: now, lastVerifiedAt: now, lastRefreshedAt: null, status: 'healthy', statusDetail: null, consecutiveFailures: 0, pushPending: false, disconnect: null };
    try {
      settings.putConnection(record);
    } catch {
      await data2crm().deleteApplication(registered.value);
      await vault.remove(id).catch(() => undefined);
      return err({ kind: 'storage-failed', message: 'The settings file could not be written. The connection was not kept.' });
    }
    logger.info('connect: connection added', { id, mode: record.mode, orgId: record.orgId });
    return ok(record);
  }

  function patchRecord(id: string, change: Partial<ConnectionRecord>): ConnectionRecord {
    const record = settings.updateConnection(id, (c) => ({ ...c, ...change }))!;
    keepMeta(record);
    return record;
  }

  /**
   * The entry's metadata follows the record (name, instance, application key), so a record lost
   * later recovers as it was; entries of older versions gain it here. Written only on a change.
   */
  function keepMeta(record: ConnectionRecord): void {
    const secrets = vault.secretsOf(record.id);
    if (!secrets) return;
    const meta = entryMeta(record, record.applicationKey, secrets.meta?.createdAt ?? record.createdAt);
    if (JSON.stringify(meta) !== JSON.stringify(secrets.meta)) void vault.save(record.id, { ...secrets, meta });
  }

  /** A refresh token that no connection will use any more (its connection went while signing in). */
  async function revokeStray(record: ConnectionRecord, secrets: ConnectionSecrets): Promise<void> {
    if (record.mode !== 'external' || !record.connectedApp || !secrets.refreshToken) return;
    const revoked = await clients.oauthFor(record, secrets.clientSecret).revoke(secrets.refreshToken);
    if (!revoked.ok) logger.warn('reauthorize: could not revoke the new sign-in of a disconnected connection', { id: record.id, kind: revoked.error.kind });
  }

  /**
   * New credentials, in the connection's queue: memory at once, then the keychain, then Data2CRM.
   * A failed keychain write keeps the new tokens in use and retries (keep-alive); a failed push is
   * left pending for keep-alive. A connection disconnected meanwhile gets nothing (and the new
   * sign-in is revoked).
   */
  function storeAndPush(original: ConnectionRecord, secretsFor: (current: ConnectionSecrets | null) => ConnectionSecrets, instanceUrl: string, issuedAt: number | null): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const id = original.id;
    return queue.run(id, async () => {
      const record = settings.connection(id);
      const secrets = secretsFor(vault.secretsOf(id));
      if (!record || record.disconnect) {
        await revokeStray(record ?? original, secrets);
        return err({ kind: 'invalid-input', message: 'That connection was disconnected meanwhile. Nothing was kept.' });
      }
      const receivedAt = clock.now();
      const saved = await vault.save(id, secrets);
      const stored = await pushNew(record, secrets, instanceUrl, issuedAt, receivedAt);
      if (saved || !stored.ok) return stored;
      return err({ kind: 'storage-failed', message: UNSAVED_SECRETS });
    });
  }

  async function pushNew(record: ConnectionRecord, secrets: ConnectionSecrets, instanceUrl: string, issuedAt: number | null, receivedAt: number): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const unsaved: Partial<ConnectionRecord> = vault.isUnsaved(record.id) ? { status: 'degraded', statusDetail: UNSAVED_SECRETS } : {};
    const pushed = await data2crm().updateApplication(record.applicationKey!, applicationInput(record, secrets, instanceUrl));
    const base: Partial<ConnectionRecord> = { instanceUrl, ...(issuedAt !== null ? { tokenIssuedAt: issuedAt } : {}), tokenReceivedAt: receivedAt, lastRefreshedAt: receivedAt };
    if (!pushed.ok) {
      // Keep-alive retries the push with backoff (in every mode), so the state says so.
      patchRecord(record.id, { ...base, pushPending: true, status: 'retrying', statusDetail: 'The new sign-in is stored; sending it to Data2CRM is retried.', ...unsaved });
      return err({ kind: 'register-failed', message: `The new sign-in is stored, but Data2CRM did not take it yet: ${pushed.error.message} It will be retried.`, api: pushed.error });
    }
    return ok(patchRecord(record.id, { ...base, pushPending: false, status: 'healthy', statusDetail: null, consecutiveFailures: 0, lastVerifiedAt: clock.now(), ...unsaved }));
  }

  /** The stored secrets with an access token not known to be expired (refreshed and held when it was). */
  async function unexpired(record: ConnectionRecord, secrets: ConnectionSecrets): Promise<Result<{ secrets: ConnectionSecrets; patch: Partial<ConnectionRecord> }, ConnectFailure>> {
    const expiry = record.mode === 'internal' ? null : estimatedExpiry(record, settings.get().refresh);
    if (expiry === null || clock.now() < expiry) return ok({ secrets, patch: {} });
    if (record.mode === 'manual' || !secrets.refreshToken || !record.connectedApp) return err({ kind: 'invalid-input', message: 'The stored access token has expired. Paste new tokens with “Update with new tokens”.' });
    const tokens = await clients.oauthFor(record, secrets.clientSecret).refresh(secrets.refreshToken);
    if (!tokens.ok) return err({ kind: 'verify-failed', message: `The stored access token has expired and Salesforce did not refresh it: ${tokens.error.message}`, api: tokens.error });
    const next = { ...secrets, accessToken: tokens.value.accessToken, ...(tokens.value.refreshToken ? { refreshToken: tokens.value.refreshToken } : {}) };
    const receivedAt = clock.now();
    // Held in memory at once; a rotated refresh token is written (a failed write is retried by keep-alive).
    await vault.refreshed(record.id, next);
    return ok({ secrets: next, patch: { tokenIssuedAt: tokens.value.issuedAt, tokenReceivedAt: receivedAt, lastRefreshedAt: receivedAt } });
  }

  async function reauthorizeWith(id: string, options: { signal: AbortSignal }): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const record = settings.connection(id);
    if (!record || leaving.has(id) || record.disconnect) return err({ kind: 'invalid-input', message: 'That connection no longer exists or is being disconnected.' });
    if (record.mode === 'manual') return err({ kind: 'invalid-input', message: 'This connection uses pasted tokens: paste new ones instead.' });
    let secrets: (current: ConnectionSecrets | null) => ConnectionSecrets;
    let instanceUrl: string;
    let issuedAt: number | null = null;
    let orgId: string;
    if (record.mode === 'internal') {
      const signIn = await signInInternal({ ...signInDeps(), authBase: settings.get().endpoints.data2crmAuthBase }, { ...options, sessionId: id });
      if (!signIn.ok) return signIn;
      const who = await verify(signIn.value.instanceUrl, signIn.value.accessToken);
      if (!who.ok) return who;
      orgId = who.value.orgId;
      const tokens = signIn.value;
      secrets = () => ({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
      instanceUrl = signIn.value.instanceUrl;
    } else {
      const current = vault.secretsOf(id);
      const oauth = clients.oauthFor(record, current?.clientSecret);
      const signIn = await signInExternal({ ...signInDeps(), oauth, callbackPort: record.connectedApp!.callbackPort }, { ...options, sessionId: id });
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
    return storeAndPush(record, secrets, instanceUrl, issuedAt);
  }

  /**
   * Tokens of the user's own connected app obtained without a redirect (pasted into a keeper, or
   * from the device flow): an external connection the app refreshes itself with the app's client
   * id. Verified with Salesforce before anything is registered, like pasted tokens.
   */
  async function connectExternalWithTokens(input: ExternalTokensInput): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const label = checkLabel(input.label);
    if (!label.ok) return label;
    const loginBase = loginBaseUrl(input.loginHost);
    if (!loginBase.ok) return err({ kind: 'invalid-input', message: loginBase.error, field: 'loginHost' });
    const clientId = input.clientId.trim();
    if (!/^[\w.~-]{1,300}$/.test(clientId)) return err({ kind: 'invalid-input', message: 'Enter the connected app’s consumer key (client id).', field: 'clientId' });
    const instanceUrl = input.tokens.instanceUrl.trim();
    if (!isTrustedSalesforceUrl(instanceUrl, extraHosts())) return err({ kind: 'invalid-input', message: 'The instance URL must be an https Salesforce address, such as https://yourdomain.my.salesforce.com.', field: 'instanceUrl' });
    const accessToken = input.tokens.accessToken.trim();
    const refreshToken = input.tokens.refreshToken.trim();
    if (!/^[A-Za-z0-9._~+/=!:-]{10,4096}$/.test(accessToken)) return err({ kind: 'invalid-input', message: 'The access token does not look like a Salesforce access token.', field: 'accessToken' });
    if (!/^[A-Za-z0-9._~+/=!:-]{10,4096}$/.test(refreshToken)) return err({ kind: 'invalid-input', message: 'Without a refresh token the connection cannot be renewed: add the refresh token.', field: 'refreshToken' });
    const origin = new URL(instanceUrl).origin;
    const who = await verify(origin, accessToken);
    if (!who.ok) return who;
    const oauth = clients.oauth({ loginBaseUrl: loginBase.value, clientId, clientSecret: input.clientSecret || undefined });
    const issuedAt = input.tokens.issuedAt;
    return finish(
      newId(),
      { label: label.value, mode: 'external', crmType: input.crmType, loginBaseUrl: loginBase.value, instanceUrl: origin, orgId: who.value.orgId, userId: who.value.userId, username: who.value.username, connectedApp: { clientId, callbackPort: settings.get().signIn.callbackPort }, tokenIssuedAt: issuedAt, tokenReceivedAt: clock.now(), learnedLifetimeMs: issuedAt === null ? null : await learnLifetime(oauth, accessToken, issuedAt, input.clientSecret || undefined) },
      { accessToken, refreshToken, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) },
      () => data2crm().createApplication({ type: input.crmType, description: label.value, authorization: 'oAuth-external-refresh', credentials: { instanceUrl: origin, accessToken } }),
    );
  }

  /** Salesforce's device flow for the user's own connected app (a keeper has no browser). */
  async function connectWithDevice(input: Omit<ExternalTokensInput, 'tokens'>, options: { onPrompt: (prompt: DeviceCodePrompt) => void; signal?: AbortSignal }): Promise<Result<ConnectionRecord, ConnectFailure>> {
    const loginBase = loginBaseUrl(input.loginHost);
    if (!loginBase.ok) return err({ kind: 'invalid-input', message: loginBase.error, field: 'loginHost' });
    const oauth = clients.oauth({ loginBaseUrl: loginBase.value, clientId: input.clientId.trim(), clientSecret: input.clientSecret || undefined });
    const signIn = await signInWithDevice(oauth, { clock, onPrompt: options.onPrompt, ...(options.signal ? { signal: options.signal } : {}) });
    if (!signIn.ok) return signIn;
    const tokens = signIn.value;
    if (!tokens.refreshToken) return err({ kind: 'invalid-input', message: 'Salesforce issued no refresh token: add the "refresh_token, offline_access" scope to the connected app.' });
    return connectExternalWithTokens({ ...input, tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, instanceUrl: tokens.instanceUrl, issuedAt: tokens.issuedAt } });
  }

  return {
    list: (): readonly ConnectionRecord[] => settings.get().connections,
    /** True while a connect has written the keychain entry but not yet the record. */
    isConnecting: (id: string): boolean => connecting.has(id),

    /** oAuth-internal: Data2CRM's own sign-in; Data2CRM refreshes from then on. */
    async connectInternal(input: { label: string; crmType: CrmType }, options: { signal?: AbortSignal } = {}): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const label = checkLabel(input.label);
      if (!label.ok) return label;
      // The connection's id names its persistent sign-in session from the first sign-in on.
      const id = newId();
      const signIn = await signInInternal({ ...signInDeps(), authBase: settings.get().endpoints.data2crmAuthBase }, { ...options, sessionId: id });
      if (!signIn.ok) await deps.browser.forgetSession(id);
      if (!signIn.ok) return signIn;
      const tokens = signIn.value;
      const who = await verify(tokens.instanceUrl, tokens.accessToken);
      if (!who.ok) return who;
      const loginBase = loginBaseUrl(settings.get().endpoints.salesforceLoginHost);
      return finish(
        id,
        { label: label.value, mode: 'internal', crmType: input.crmType, loginBaseUrl: loginBase.ok ? loginBase.value : 'https://login.salesforce.com', instanceUrl: tokens.instanceUrl, orgId: who.value.orgId, userId: who.value.userId, username: who.value.username, connectedApp: null, tokenIssuedAt: null, tokenReceivedAt: clock.now(), learnedLifetimeMs: null },
        { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
        () => data2crm().createApplication({ type: input.crmType, description: label.value, authorization: 'oAuth-internal', credentials: tokens }),
      );
    },

    /** oAuth-external-refresh: the user's connected app; the refresh token never leaves the keychain. */
    async connectExternal(input: ExternalConnectInput, options: { signal?: AbortSignal } = {}): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const label = checkLabel(input.label);
      if (!label.ok) return label;
      const loginBase = loginBaseUrl(input.loginHost);
      if (!loginBase.ok) return err({ kind: 'invalid-input', message: loginBase.error, field: 'loginHost' });
      if (!/^[\w.~-]{1,300}$/.test(input.clientId.trim())) return err({ kind: 'invalid-input', message: 'Enter the connected app’s consumer key (client id).', field: 'clientId' });
      const callbackPort = input.callbackPort ?? settings.get().signIn.callbackPort;
      const oauth = clients.oauth({ loginBaseUrl: loginBase.value, clientId: input.clientId.trim(), clientSecret: input.clientSecret || undefined });
      const id = newId();
      const signIn = await signInExternal({ ...signInDeps(), oauth, callbackPort }, { ...options, sessionId: id });
      if (!signIn.ok) await deps.browser.forgetSession(id);
      if (!signIn.ok) return signIn;
      const tokens = signIn.value;
      if (!tokens.refreshToken) return err({ kind: 'invalid-input', message: 'Salesforce issued no refresh token: add the "refresh_token, offline_access" scope to the connected app.' });
      const who = await oauth.identity(tokens.identityUrl, tokens.accessToken);
      if (!who.ok) return err({ kind: 'verify-failed', message: `Salesforce did not confirm the sign-in: ${who.error.message}`, api: who.error });
      return finish(
        id,
        { label: label.value, mode: 'external', crmType: input.crmType, loginBaseUrl: loginBase.value, instanceUrl: tokens.instanceUrl, orgId: who.value.orgId, userId: who.value.userId, username: who.value.username, connectedApp: { clientId: input.clientId.trim(), callbackPort }, tokenIssuedAt: tokens.issuedAt, tokenReceivedAt: clock.now(), learnedLifetimeMs: await learnLifetime(oauth, tokens.accessToken, tokens.issuedAt, input.clientSecret || undefined) },
        { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) },
        () => data2crm().createApplication({ type: input.crmType, description: label.value, authorization: 'oAuth-external-refresh', credentials: { instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken } }),
      );
    },

    /** Pasted tokens, verified with Salesforce before anything is registered. */
    async connectManual(input: ManualConnectInput): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const label = checkLabel(input.label);
      if (!label.ok) return label;
      const instanceUrl = input.instanceUrl.trim();
      if (!isTrustedSalesforceUrl(instanceUrl, extraHosts())) return err({ kind: 'invalid-input', message: 'The instance URL must be an https Salesforce address, such as https://yourdomain.my.salesforce.com.', field: 'instanceUrl' });
      const accessToken = input.accessToken.trim();
      if (!/^[A-Za-z0-9._~+/=!:-]{10,4096}$/.test(accessToken)) return err({ kind: 'invalid-input', message: 'The access token does not look like a Salesforce access token.', field: 'accessToken' });
      const refreshToken = input.refreshToken?.trim() || undefined;
      if (refreshToken && !/^[A-Za-z0-9._~+/=!:-]{10,4096}$/.test(refreshToken)) return err({ kind: 'invalid-input', message: 'The refresh token does not look like a Salesforce refresh token.', field: 'refreshToken' });
      const origin = new URL(instanceUrl).origin;
      const who = await verify(origin, accessToken);
      if (!who.ok) return who;
      const loginBase = loginBaseUrl(settings.get().endpoints.salesforceLoginHost);
      return finish(
        newId(),
        { label: label.value, mode: 'manual', crmType: input.crmType, loginBaseUrl: loginBase.ok ? loginBase.value : 'https://login.salesforce.com', instanceUrl: origin, orgId: who.value.orgId, userId: who.value.userId, username: who.value.username, connectedApp: null, tokenIssuedAt: null, tokenReceivedAt: clock.now(), learnedLifetimeMs: null },
        { accessToken, ...(refreshToken ? { refreshToken } : {}) },
        () => data2crm().createApplication({ type: input.crmType, description: label.value, authorization: 'oAuth-external-refresh', credentials: { instanceUrl: origin, accessToken } }),
      );
    },

    connectExternalWithTokens,
    connectWithDevice,

    /**
     * Signs in again for an existing connection (its mode's flow) and pushes the new credentials.
     * The org must be the same one: signing in to another org by mistake changes nothing. A
     * disconnect meanwhile cancels the sign-in.
     */
    reauthorize(id: string, options: { signal?: AbortSignal } = {}): Promise<Result<ConnectionRecord, ConnectFailure>> {
      const cancel = new AbortController();
      options.signal?.addEventListener('abort', () => cancel.abort(), { once: true });
      signIns.set(id, cancel);
      return reauthorizeWith(id, { signal: cancel.signal }).finally(() => {
        if (signIns.get(id) === cancel) signIns.delete(id);
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
      const who = await verify(record.instanceUrl, accessToken);
      if (!who.ok) return who;
      if (record.orgId && who.value.orgId !== record.orgId) return err({ kind: 'invalid-input', message: 'These tokens belong to a different Salesforce org. Nothing was changed.' });
      return storeAndPush(record, (current) => ({ ...(current ?? {}), accessToken, ...(refreshToken ? { refreshToken } : {}) }), record.instanceUrl, record.mode === 'external' ? clock.now() : null);
    },

    /** "Deleted in Data2CRM": register the application again with the stored tokens. */
    registerAgain: (id: string): Promise<Result<ConnectionRecord, ConnectFailure>> =>
      queue.run(id, async () => {
        const record = settings.connection(id);
        const secrets = vault.secretsOf(id);
        if (!record || !secrets) return err({ kind: 'invalid-input', message: 'That connection or its stored tokens no longer exist.' });
        // A token known to be expired is never sent: refresh it first where we can.
        const fresh = await unexpired(record, secrets);
        if (!fresh.ok) return fresh;
        const created = await data2crm().createApplication(applicationInput(record, fresh.value.secrets, record.instanceUrl));
        if (!created.ok) return err({ kind: 'register-failed', message: `Data2CRM did not register the connection: ${created.error.message}`, api: created.error });
        return ok(patchRecord(id, { ...fresh.value.patch, applicationKey: created.value, status: 'healthy', statusDetail: null, consecutiveFailures: 0, pushPending: false, lastVerifiedAt: clock.now() }));
      }),

    rename: (id: string, label: string): Promise<Result<ConnectionRecord, ConnectFailure>> =>
      queue.run(id, async () => {
        const checked = checkLabel(label);
        if (!checked.ok) return checked;
        if (!settings.connection(id)) return err({ kind: 'invalid-input', message: 'That connection no longer exists.' });
        return ok(patchRecord(id, { label: checked.value }));
      }),

    /**
     * Resumable: run it again after any failure and it continues from the last finished step.
     * Queued behind any run in flight on this connection, so it revokes the newest token.
     */
    disconnect: (id: string): Promise<Result<void, DisconnectFailure>> => {
      signIns.get(id)?.abort();
      leaving.set(id, (leaving.get(id) ?? 0) + 1);
      return queue.run(id, () => disconnectNow(id)).finally(() => {
        const left = (leaving.get(id) ?? 1) - 1;
        if (left > 0) leaving.set(id, left);
        else leaving.delete(id);
      });
    },
  };

  async function disconnectNow(id: string): Promise<Result<void, DisconnectFailure>> {
    const find = () => settings.connection(id);
    const start = find();
    if (!start) return err({ kind: 'not-found', message: 'That connection no longer exists.' });
    type Step = Extract<DisconnectFailure, { kind: 'step-failed' }>['step'];
    const stepFailed = (step: Step, message: string, api?: ApiFailure): Result<void, DisconnectFailure> => err({ kind: 'step-failed', step, message, ...(api ? { api } : {}) });
    /** Records progress; false when the settings file refused the write. */
    const record = (change: Partial<ConnectionRecord>): boolean => {
      try {
        settings.updateConnection(id, (c) => ({ ...c, ...change }));
        return true;
      } catch {
        return false;
      }
    };
    const unsaved = 'The settings file could not be written. Try again.';

    if (!start.disconnect && !record({ status: 'disconnecting', disconnect: { applicationDeleted: start.applicationKey === null, tokenRevoked: false } })) return stepFailed('delete-application', unsaved);
    const progress = () => find()!.disconnect!;

    if (!progress().applicationDeleted) {
      const deleted = await data2crm().deleteApplication(start.applicationKey!);
      if (!deleted.ok && deleted.error.kind !== 'not-found') return stepFailed('delete-application', `Data2CRM did not delete the application: ${deleted.error.message}`, deleted.error);
      if (!record({ disconnect: { ...progress(), applicationDeleted: true } })) return stepFailed('delete-application', unsaved);
    }
    if (!progress().tokenRevoked) {
      const secrets = vault.secretsOf(id);
      // Only where the tray owns the client (external mode) can it revoke at Salesforce.
      if (start.mode === 'external' && start.connectedApp && secrets?.refreshToken) {
        const oauth = clients.oauthFor(start, secrets.clientSecret);
        const revoked = await oauth.revoke(secrets.refreshToken);
        if (!revoked.ok && isTransient(revoked.error)) return stepFailed('revoke', `Salesforce could not be reached to revoke the sign-in: ${revoked.error.message}`, revoked.error);
        if (!revoked.ok) logger.warn('disconnect: Salesforce refused the revocation; continuing', { id, kind: revoked.error.kind });
      }
      if (!record({ disconnect: { ...progress(), tokenRevoked: true } })) return stepFailed('revoke', unsaved);
    }
    try {
      await vault.remove(id);
    } catch {
      return stepFailed('delete-secrets', 'The keychain entry could not be deleted. Try again.');
    }
    // Salesforce cookies of this connection's sign-in window go too.
    await deps.browser.forgetSession(id).catch(() => logger.warn('disconnect: could not clear the sign-in session', { id }));
    try {
      settings.removeConnection(id);
    } catch {
      return stepFailed('remove-record', unsaved);
    }
    logger.info('disconnect: connection removed', { id });
    return ok(undefined);
  }
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
