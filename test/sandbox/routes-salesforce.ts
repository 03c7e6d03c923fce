/** Salesforce: OAuth web-server flow with PKCE, token, revoke, introspect, identity, REST. */
import { createHash, randomBytes } from 'node:crypto';
import type { Route, RouteContext } from './context.js';
import { pollDevice, startDeviceAuthorization } from './device-flow.js';
import { parseForm, redirect, sendHtml, sendJson } from './http-util.js';
import { errorPage, signInPage } from './pages.js';
import { randomToken } from './state.js';

const oauthError = (ctx: RouteContext, status: number, error: string, description: string) =>
  sendJson(ctx.res, status, { error, error_description: description });

function tokenResponse(ctx: RouteContext, userId: string, accessToken: string, issuedAt: number, scope: string, refreshToken?: string) {
  const user = ctx.state.userById(userId)!;
  const id = `${ctx.origin}/id/${user.orgId}/${user.userId}`;
  // A staged malformed answer: the grant happened (a rotated refresh token is already the only live one), issued_at is missing.
  const malformed = ctx.state.malformedTokenAnswers > 0;
  if (malformed) ctx.state.malformedTokenAnswers--;
  sendJson(ctx.res, 200, {
    access_token: accessToken,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    signature: createHash('sha256').update(id + issuedAt).digest('base64'),
    scope,
    instance_url: ctx.state.instanceFor(ctx.origin),
    id,
    token_type: 'Bearer',
    ...(malformed ? {} : { issued_at: String(issuedAt) }),
  });
}

function authorize(ctx: RouteContext): void {
  const params = ctx.req.method === 'POST' ? parseForm(ctx.body) : Object.fromEntries(ctx.url.searchParams);
  const { client_id: clientId = '', redirect_uri: redirectUri = '', state = '', code_challenge: challenge = '', scope = 'api refresh_token' } = params;
  const app = ctx.state.apps.get(clientId);
  // Never redirect to an address the connected app did not register.
  // Salesforce answers these on the authorize address itself (no redirect), HTTP 400, the error as query-string text.
  if (!app) return sendHtml(ctx.res, 400, errorPage('error=invalid_client_id&error_description=client%20identifier%20invalid'));
  // An External Client App lists only https and custom-scheme callbacks: an http one never matches.
  const httpRefused = ctx.state.callbackPolicy === 'https-or-custom' && /^http:/i.test(redirectUri);
  if (!app.callbackUrls.includes(redirectUri) || httpRefused) return sendHtml(ctx.res, 400, errorPage('error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration'));
  const back = (query: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
    if (state) target.searchParams.set('state', state);
    return target.toString();
  };
  if (params['response_type'] !== 'code') return redirect(ctx.res, back({ error: 'unsupported_response_type', error_description: 'response type not supported' }));
  if (!challenge || (params['code_challenge_method'] ?? 'S256') !== 'S256') return redirect(ctx.res, back({ error: 'invalid_request', error_description: 'missing or unsupported code_challenge' }));
  // Scopes the app does not allow: refused in the redirect, as RFC 6749 §4.1.2.1 has it.
  if (app.scopes && !scope.split(/\s+/).filter(Boolean).every((s) => app.scopes!.includes(s) || (s === 'refresh_token' && app.scopes!.includes('offline_access')))) {
    return redirect(ctx.res, back({ error: 'invalid_scope', error_description: 'the requested scope is not allowed' }));
  }

  const issueCode = (userId: string) => {
    const code = `aPrx${randomToken(30)}`;
    ctx.state.codes.set(code, { clientId, redirectUri, codeChallenge: challenge, userId, scope, expiresAt: ctx.state.now() + 15 * 60 * 1000, used: false });
    return back({ code });
  };

  if (ctx.req.method === 'GET') {
    const sessionUser = ctx.state.sessionUser(ctx.req.headers.cookie);
    if (sessionUser && ctx.state.autoApprove) return redirect(ctx.res, issueCode(sessionUser.userId));
    return sendHtml(ctx.res, 200, signInPage({ title: 'Log in to Salesforce (sandbox)', action: '/services/oauth2/authorize', hidden: { ...params }, appName: clientId }));
  }
  if (params['decision'] === 'deny') return redirect(ctx.res, back({ error: 'access_denied', error_description: 'end-user denied authorization' }));
  const user = ctx.state.users.get(params['username'] ?? '');
  if (!user || user.password !== params['password'] || !user.active) {
    return sendHtml(ctx.res, 200, signInPage({ title: 'Log in to Salesforce (sandbox)', action: '/services/oauth2/authorize', hidden: { ...params, username: '', password: '', decision: '' }, appName: clientId, error: 'Please check your username and password.' }));
  }
  const sid = ctx.state.startSession(user.userId);
  redirect(ctx.res, issueCode(user.userId), { 'set-cookie': `sbx_sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
}

function clientOk(ctx: RouteContext, clientId: string | undefined, secret: string | undefined): boolean {
  const app = ctx.state.apps.get(clientId ?? '');
  if (!app) return false;
  if (secret !== undefined && secret !== '' && app.clientSecret !== secret) return false;
  return !app.requireSecret || app.clientSecret === secret;
}

function token(ctx: RouteContext): void {
  const form = parseForm(ctx.body);
  const grant = form['grant_type'];
  // The device flow starts and polls on the token endpoint too (device-flow.ts).
  if (form['response_type'] === 'device_code' && grant === undefined) return startDeviceAuthorization(ctx, form);
  if (grant === 'device') {
    if (!clientOk(ctx, form['client_id'], form['client_secret'])) return oauthError(ctx, 400, 'invalid_client', 'invalid client credentials');
    return pollDevice(ctx, form, (userId, clientId, scope) => {
      const issued = ctx.state.issueTokens(userId, clientId, /\b(refresh_token|offline_access)\b/.test(scope));
      tokenResponse(ctx, userId, issued.accessToken, issued.issuedAt, scope, issued.refreshToken);
    });
  }
  if (grant !== 'authorization_code' && grant !== 'refresh_token') return oauthError(ctx, 400, 'unsupported_grant_type', 'grant type not supported');
  // An unknown consumer key and a missing or wrong secret are told apart, as Salesforce does.
  if (!ctx.state.apps.has(form['client_id'] ?? '')) return oauthError(ctx, 400, 'invalid_client_id', 'client identifier invalid');
  if (!clientOk(ctx, form['client_id'], form['client_secret'])) return oauthError(ctx, 400, 'invalid_client', 'invalid client credentials');
  // Salesforce's words when the org's login hours or IP ranges refuse the user (it passes by itself).
  if (ctx.state.refuseLogins) return oauthError(ctx, 400, 'invalid_grant', 'ip restricted or invalid login hours');

  if (grant === 'authorization_code') {
    const code = ctx.state.codes.get(form['code'] ?? '');
    if (!code || code.used || code.expiresAt <= ctx.state.now() || code.clientId !== form['client_id']) return oauthError(ctx, 400, 'invalid_grant', 'invalid authorization code');
    code.used = true;
    if (code.redirectUri !== form['redirect_uri']) return oauthError(ctx, 400, 'invalid_grant', 'redirect_uri mismatch');
    const verifier = form['code_verifier'] ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) return oauthError(ctx, 400, 'invalid_grant', 'invalid code verifier');
    const withRefresh = /\b(refresh_token|offline_access)\b/.test(code.scope);
    const issued = ctx.state.issueTokens(code.userId, code.clientId, withRefresh);
    return tokenResponse(ctx, code.userId, issued.accessToken, issued.issuedAt, code.scope, issued.refreshToken);
  }

  const oldRefresh = form['refresh_token'] ?? '';
  const record = ctx.state.liveRefreshToken(oldRefresh);
  if (!record) {
    const known = ctx.state.refreshTokens.get(oldRefresh);
    const user = known ? ctx.state.userById(known.userId) : undefined;
    return oauthError(ctx, 400, 'invalid_grant', user && !user.active ? 'authentication failure' : 'expired access/refresh token');
  }
  if (record.clientId !== form['client_id']) return oauthError(ctx, 400, 'invalid_grant', 'expired access/refresh token');
  let refreshToken = oldRefresh;
  let returnRefresh: string | undefined;
  if (ctx.state.rotation) {
    // Rotation: the old refresh token dies at once; only the new one works from now on.
    ctx.state.revokeRefreshToken(oldRefresh);
    refreshToken = `5Aep861${randomBytes(45).toString('base64url')}`;
    ctx.state.refreshTokens.set(refreshToken, { userId: record.userId, clientId: record.clientId, revoked: false });
    returnRefresh = refreshToken;
  }
  const issued = ctx.state.issueTokens(record.userId, record.clientId, true, refreshToken);
  tokenResponse(ctx, record.userId, issued.accessToken, issued.issuedAt, 'api refresh_token', returnRefresh);
}

/**
 * RFC 7009 as a strict server does it (when `revokeNeedsClientAuth`): the client authenticates
 * as at the token endpoint (client_id, and the secret its app has) and may revoke only its own
 * tokens. Salesforce itself accepts a bare `token`, and so does the sandbox otherwise.
 */
function revokeRefused(ctx: RouteContext, form: Record<string, string>, tokenValue: string): boolean {
  if (!ctx.state.revokeNeedsClientAuth) return false;
  const app = ctx.state.apps.get(form['client_id'] ?? '');
  if (!app || (app.clientSecret !== undefined && form['client_secret'] !== app.clientSecret)) {
    oauthError(ctx, 401, 'invalid_client', 'client authentication failed');
    return true;
  }
  const owner = ctx.state.refreshTokens.get(tokenValue)?.clientId ?? ctx.state.accessTokens.get(tokenValue)?.clientId;
  if (owner !== undefined && owner !== app.clientId) {
    oauthError(ctx, 400, 'unauthorized_client', 'the token was issued to another client');
    return true;
  }
  return false;
}

function revoke(ctx: RouteContext): void {
  const form = parseForm(ctx.body);
  const tokenValue = form['token'] ?? '';
  if (revokeRefused(ctx, form, tokenValue)) return;
  if (ctx.state.revokeRefreshToken(tokenValue)) return sendJson(ctx.res, 200, {});
  const access = ctx.state.accessTokens.get(tokenValue);
  if (access) {
    access.revoked = true;
    return sendJson(ctx.res, 200, {});
  }
  oauthError(ctx, 400, 'unsupported_token_type', 'this token type is not supported');
}

function introspect(ctx: RouteContext): void {
  const form = parseForm(ctx.body);
  const app = ctx.state.apps.get(form['client_id'] ?? '');
  // Introspection always needs the client's credentials.
  if (!app || !app.clientSecret || app.clientSecret !== form['client_secret']) return oauthError(ctx, 401, 'invalid_client', 'invalid client credentials');
  const tokenValue = form['token'] ?? '';
  const access = ctx.state.liveAccessToken(tokenValue);
  if (access) {
    const user = ctx.state.userById(access.userId)!;
    return sendJson(ctx.res, 200, { active: true, scope: 'api refresh_token', client_id: access.clientId, username: user.username, sub: `${ctx.origin}/id/${user.orgId}/${user.userId}`, token_type: 'access_token', exp: Math.floor(access.expiresAt / 1000), iat: Math.floor(access.issuedAt / 1000), nbf: Math.floor(access.issuedAt / 1000) });
  }
  if (ctx.state.liveRefreshToken(tokenValue)) return sendJson(ctx.res, 200, { active: true, token_type: 'refresh_token', client_id: app.clientId });
  sendJson(ctx.res, 200, { active: false });
}

/** Identity and userinfo answer a dead token this way. */
function badToken(ctx: RouteContext): void {
  ctx.res.writeHead(403, { 'content-type': 'text/plain' });
  ctx.res.end('Bad_OAuth_Token');
}

function bearer(ctx: RouteContext): string | undefined {
  return /^Bearer (.+)$/.exec(ctx.req.headers.authorization ?? '')?.[1];
}

function identity(ctx: RouteContext): void {
  const access = ctx.state.liveAccessToken(bearer(ctx));
  if (!access) return badToken(ctx);
  const [, orgId, userId] = /^\/id\/([^/]+)\/([^/]+)$/.exec(ctx.url.pathname) ?? [];
  const user = ctx.state.userById(access.userId)!;
  if (user.orgId !== orgId || user.userId !== userId) return sendJson(ctx.res, 404, [{ errorCode: 'NOT_FOUND', message: 'not found' }]);
  sendJson(ctx.res, 200, {
    id: `${ctx.origin}${ctx.url.pathname}`,
    user_id: user.userId,
    organization_id: user.orgId,
    username: user.username,
    display_name: user.displayName,
    email: user.username,
    active: user.active,
    user_type: 'STANDARD',
    urls: { rest: `${ctx.origin}/services/data/v{version}/` },
  });
}

/** OpenID userinfo on the instance: who owns this token. */
function userinfo(ctx: RouteContext): void {
  const access = ctx.state.liveAccessToken(bearer(ctx));
  if (!access) return badToken(ctx);
  const user = ctx.state.userById(access.userId)!;
  sendJson(ctx.res, 200, { sub: `${ctx.origin}/id/${user.orgId}/${user.userId}`, user_id: user.userId, organization_id: user.orgId, preferred_username: user.username, name: user.displayName, email: user.username });
}

function rest(ctx: RouteContext): void {
  const access = ctx.state.liveAccessToken(bearer(ctx));
  if (!access) return sendJson(ctx.res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  sendJson(ctx.res, 200, { totalSize: ctx.state.users.size, done: true, records: [] });
}

export const salesforceRoutes: Route[] = [
  { name: 'sf.authorize', method: ['GET', 'POST'], pattern: /^\/services\/oauth2\/authorize$/, handler: authorize },
  { name: 'sf.token', method: 'POST', pattern: /^\/services\/oauth2\/token$/, handler: token },
  { name: 'sf.revoke', method: 'POST', pattern: /^\/services\/oauth2\/revoke$/, handler: revoke },
  { name: 'sf.introspect', method: 'POST', pattern: /^\/services\/oauth2\/introspect$/, handler: introspect },
  { name: 'sf.userinfo', method: 'GET', pattern: /^\/services\/oauth2\/userinfo$/, handler: userinfo },
  { name: 'sf.identity', method: 'GET', pattern: /^\/id\/[^/]+\/[^/]+$/, handler: identity },
  { name: 'sf.rest', method: 'GET', pattern: /^\/services\/data\/.+$/, handler: rest },
];
