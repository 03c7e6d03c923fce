/**
 * Salesforce OAuth for a connected app: the web-server flow with PKCE S256 and a one-time state,
 * code exchange, refresh (rotation-aware), revoke, introspect, identity, and a REST probe.
 */
import type { z } from 'zod';
import { err, ok } from '../result.js';
import type { ApiResult } from '../http/api-failure.js';
import { parseWith } from '../http/json.js';
import { sendRequest, type HttpResponse } from '../http/request.js';
import { globalFetchTransport } from '../http/fetch-transport.js';
import type { HttpTransport } from '../ports.js';
import { salesforceFailure } from './failures.js';
import { isTrustedSalesforceUrl } from './hosts.js';
import { rememberSecret } from '../secret-redactor.js';
import { codeChallengeS256, randomUrlSafe } from './pkce.js';
import { deviceAuthorizationSchema, identitySchema, introspectionSchema, oauthErrorSchema, rotatedRefreshTokenSchema, tokenResponseSchema, type DeviceAuthorization, type Identity, type Introspection, type TokenSet } from './types.js';

export interface SalesforceOAuthOptions {
  /** https://login.salesforce.com, https://test.salesforce.com, a My Domain, or the sandbox. */
  readonly loginBaseUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  /** Hosts besides Salesforce's own that may receive tokens (the sandbox). */
  readonly extraHosts?: readonly string[];
  readonly http?: HttpTransport;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export interface PendingAuthorization {
  readonly url: string;
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

/**
 * A refresh's answer. A 200 the client rejects (a field missing or malformed, an instance outside
 * Salesforce's domains) may still carry a rotated refresh token that already replaced the old
 * one: `rotatedRefreshToken` hands it over, well-formed, for the caller to store before judging.
 */
export type RefreshResult = ApiResult<TokenSet> & { readonly rotatedRefreshToken?: string };

export const DEFAULT_SCOPE = 'api refresh_token';
/** The form parameters that carry a secret (a failing answer is cleaned of their values). */
const SECRET_PARAMS: ReadonlySet<string> = new Set(['code', 'code_verifier', 'refresh_token', 'client_secret', 'token']);
/** RFC 8628 §3.5: the polling interval when the server names none, and what slow_down adds. */
const DEVICE_INTERVAL_MS = 5_000;
export const DEVICE_SLOW_DOWN_MS = 5_000;
/** Salesforce names no lifetime for a device code; ten minutes is what it is documented to last elsewhere (assumed). */
const DEVICE_CODE_LIFETIME_MS = 10 * 60_000;

/** One poll of the token endpoint in the device flow (RFC 8628 §3.5). */
export type DevicePoll = { kind: 'tokens'; tokens: TokenSet } | { kind: 'pending' } | { kind: 'slow-down' } | { kind: 'denied' } | { kind: 'expired' };
const REST_PROBE_PATH = '/services/data/v62.0/limits';

export function createSalesforceOAuthClient(options: SalesforceOAuthOptions) {
  const transport = options.http ?? globalFetchTransport;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const now = options.now ?? Date.now;
  const oauthUrl = (endpoint: string) => `${options.loginBaseUrl}/services/oauth2/${endpoint}`;
  const loginHost = new URL(options.loginBaseUrl).host;
  const trustedHosts = [loginHost, ...(options.extraHosts ?? [])];

  function withClient(form: Record<string, string>): Record<string, string> {
    return { ...form, client_id: options.clientId, ...(options.clientSecret ? { client_secret: options.clientSecret } : {}) };
  }

  async function post(endpoint: string, form: Record<string, string>, signal?: AbortSignal) {
    return sendRequest(transport, {
      method: 'POST',
      url: oauthUrl(endpoint),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      secrets: Object.entries(form).flatMap(([name, value]) => (SECRET_PARAMS.has(name) ? [value] : [])),
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
  }

  function parsed<T>(response: HttpResponse, schema: z.ZodType<T>): ApiResult<T> {
    if (response.status !== 200) return err(salesforceFailure(response, now()));
    const value = parseWith(schema, response.text);
    return value === null ? err({ kind: 'unexpected-response', status: 200, message: 'Salesforce sent a response the app does not understand.' }) : ok(value);
  }

  function toTokenSet(response: HttpResponse): ApiResult<TokenSet> {
    const body = parsed(response, tokenResponseSchema);
    if (!body.ok) return body;
    const t = body.value;
    // Tokens will later be sent to these URLs: they must be Salesforce's (or configured) hosts.
    if (!isTrustedSalesforceUrl(t.instance_url, trustedHosts) || !isTrustedSalesforceUrl(t.id, trustedHosts)) {
      return err({ kind: 'unexpected-response', status: 200, message: 'Salesforce returned an instance or identity URL outside Salesforce’s domains.' });
    }
    return ok({
      accessToken: t.access_token,
      ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
      instanceUrl: t.instance_url.replace(/\/+$/, ''),
      identityUrl: t.id,
      issuedAt: t.issued_at,
      ...(t.scope ? { scope: t.scope } : {}),
    });
  }

  return {
    /** Builds the authorize URL with a fresh state and PKCE verifier; keep both until the redirect returns. */
    beginAuthorization(redirectUri: string, scope = DEFAULT_SCOPE): PendingAuthorization {
      const state = randomUrlSafe();
      const codeVerifier = randomUrlSafe(48);
      rememberSecret(codeVerifier);
      const url = new URL(oauthUrl('authorize'));
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: redirectUri,
        code_challenge: codeChallengeS256(codeVerifier),
        code_challenge_method: 'S256',
        state,
        scope,
      }).toString();
      return { url: url.toString(), state, codeVerifier, redirectUri };
    },

    async exchangeCode(code: string, pending: Pick<PendingAuthorization, 'codeVerifier' | 'redirectUri'>, signal?: AbortSignal): Promise<ApiResult<TokenSet>> {
      const outcome = await post('token', withClient({ grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri, code_verifier: pending.codeVerifier }), signal);
      return outcome.ok ? toTokenSet(outcome.response) : outcome;
    },

    /** A new access token; with rotation also a new refresh token, which the caller must store first. */
    async refresh(refreshToken: string, signal?: AbortSignal): Promise<RefreshResult> {
      const outcome = await post('token', withClient({ grant_type: 'refresh_token', refresh_token: refreshToken }), signal);
      if (!outcome.ok) return outcome;
      const tokens = toTokenSet(outcome.response);
      if (tokens.ok || outcome.response.status !== 200) return tokens;
      const rotated = parseWith(rotatedRefreshTokenSchema, outcome.response.text)?.refresh_token;
      if (rotated === undefined || rotated === refreshToken) return tokens;
      rememberSecret(rotated);
      return { ...tokens, rotatedRefreshToken: rotated };
    },

    /**
     * RFC 7009: the client authenticates as at the token endpoint (client_id, and its secret when
     * it has one); a standard server refuses an unauthenticated revocation, Salesforce accepts both.
     */
    async revoke(token: string, signal?: AbortSignal): Promise<ApiResult<void>> {
      const outcome = await post('revoke', withClient({ token }), signal);
      if (!outcome.ok) return outcome;
      if (outcome.response.status === 200) return ok(undefined);
      const failure = salesforceFailure(outcome.response, now());
      // An unknown or already revoked token: the goal (it no longer works) holds.
      if (failure.kind === 'invalid-request' && (failure.code === 'unsupported_token_type' || failure.code === 'invalid_token')) return ok(undefined);
      return err(failure);
    },

    /**
     * The device flow (Salesforce's "OAuth 2.0 Device Flow", RFC 8628): the user enters the code
     * at the verification address on any device while we poll. No browser or redirect here.
     */
    async beginDeviceAuthorization(scope = DEFAULT_SCOPE, signal?: AbortSignal): Promise<ApiResult<DeviceAuthorization>> {
      const outcome = await post('token', { response_type: 'device_code', client_id: options.clientId, scope }, signal);
      if (!outcome.ok) return outcome;
      const body = parsed(outcome.response, deviceAuthorizationSchema);
      if (!body.ok) return body;
      // The user is sent there: it must be the login host (or a configured one), never elsewhere.
      if (!isTrustedSalesforceUrl(body.value.verification_uri, trustedHosts)) return err({ kind: 'unexpected-response', status: 200, message: 'Salesforce named a verification address outside Salesforce’s domains.' });
      const intervalMs = body.value.interval !== undefined ? Math.max(1_000, body.value.interval * 1000) : DEVICE_INTERVAL_MS;
      rememberSecret(body.value.device_code);
      return ok({ deviceCode: body.value.device_code, userCode: body.value.user_code, verificationUri: body.value.verification_uri, intervalMs, expiresAt: now() + (body.value.expires_in !== undefined ? body.value.expires_in * 1000 : DEVICE_CODE_LIFETIME_MS) });
    },

    /** One poll; pending, slow_down, denied and expired are answers, not failures. */
    async pollDeviceToken(deviceCode: string, signal?: AbortSignal): Promise<ApiResult<DevicePoll>> {
      const outcome = await post('token', withClient({ grant_type: 'device', code: deviceCode }), signal);
      if (!outcome.ok) return outcome;
      if (outcome.response.status === 200) {
        const tokens = toTokenSet(outcome.response);
        return tokens.ok ? ok({ kind: 'tokens', tokens: tokens.value }) : tokens;
      }
      const answer = parseWith(oauthErrorSchema, outcome.response.text)?.error;
      if (answer === 'authorization_pending') return ok({ kind: 'pending' });
      if (answer === 'slow_down') return ok({ kind: 'slow-down' });
      if (answer === 'access_denied') return ok({ kind: 'denied' });
      if (answer === 'expired_token') return ok({ kind: 'expired' });
      return err(salesforceFailure(outcome.response, now()));
    },

    /** The real expiry of an access token; needs the client secret. */
    async introspect(token: string, signal?: AbortSignal): Promise<ApiResult<Introspection>> {
      const outcome = await post('introspect', withClient({ token, token_type_hint: 'access_token' }), signal);
      if (!outcome.ok) return outcome;
      const body = parsed(outcome.response, introspectionSchema);
      return body.ok ? ok({ active: body.value.active, expiresAt: body.value.exp !== undefined ? body.value.exp * 1000 : null }) : body;
    },

    /** Who signed in: the identity URL from the token response, called with the access token. */
    async identity(identityUrl: string, accessToken: string, signal?: AbortSignal): Promise<ApiResult<Identity>> {
      if (!isTrustedSalesforceUrl(identityUrl, trustedHosts)) return err({ kind: 'invalid-request', code: null, message: 'The identity URL is not on a Salesforce host.' });
      const outcome = await sendRequest(transport, { method: 'GET', url: identityUrl, headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }, secrets: [accessToken], timeoutMs, ...(signal ? { signal } : {}) });
      if (!outcome.ok) return outcome;
      const body = parsed(outcome.response, identitySchema);
      return body.ok ? ok({ userId: body.value.user_id, orgId: body.value.organization_id, username: body.value.username, displayName: body.value.display_name ?? body.value.username }) : body;
    },

    /** One REST call on the instance: ok when the access token is alive there. */
    async probeInstance(instanceUrl: string, accessToken: string, signal?: AbortSignal): Promise<ApiResult<void>> {
      if (!isTrustedSalesforceUrl(instanceUrl, trustedHosts)) return err({ kind: 'invalid-request', code: null, message: 'The instance URL is not on a Salesforce host.' });
      const outcome = await sendRequest(transport, { method: 'GET', url: `${instanceUrl}${REST_PROBE_PATH}`, headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }, secrets: [accessToken], timeoutMs, ...(signal ? { signal } : {}) });
      if (!outcome.ok) return outcome;
      return outcome.response.status === 200 ? ok(undefined) : err(salesforceFailure(outcome.response, now()));
    },
  };
}

export type SalesforceOAuthClient = ReturnType<typeof createSalesforceOAuthClient>;
