/** Contract tests: the Salesforce OAuth client against the sandbox over real HTTP. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeChallengeS256, type ApiFailure } from '../../main/core/index.js';
import { signInHeadless } from '../sandbox/headless-sign-in.js';
import { SAMPLE_CLIENT, SAMPLE_USER, startSandbox, type Sandbox } from '../sandbox/server.js';
import { CALLBACK, externalTokens, sandboxOAuthClient } from '../support/sandbox-tokens.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.control.clearFaults();
  sandbox.control.setRotation(false);
  sandbox.control.setLoginsRefused(false);
  sandbox.control.setRevokeNeedsClientAuth(false);
  sandbox.control.moveInstance(null);
  sandbox.control.clearRequestLog();
});

function expectFailure(result: { ok: boolean; error?: ApiFailure }, kind: ApiFailure['kind']): ApiFailure {
  expect(result.ok).toBe(false);
  expect(result.error?.kind).toBe(kind);
  return result.error!;
}

describe('Salesforce OAuth: authorization request', () => {
  it('asks for a code with PKCE S256, a one-time state and the refresh scope', () => {
    const client = sandboxOAuthClient(sandbox);
    const a = client.beginAuthorization(CALLBACK);
    const b = client.beginAuthorization(CALLBACK);
    const params = new URL(a.url).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({ response_type: 'code', client_id: SAMPLE_CLIENT.clientId, redirect_uri: CALLBACK, code_challenge_method: 'S256', scope: 'api refresh_token', state: a.state });
    expect(params.get('code_challenge')).toBe(codeChallengeS256(a.codeVerifier));
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.codeVerifier.length).toBeGreaterThanOrEqual(43);
    expect(b.state).not.toBe(a.state);
    expect(b.codeVerifier).not.toBe(a.codeVerifier);
  });
});

describe('Salesforce OAuth: code exchange', () => {
  it('exchanges the code for tokens with issued_at from the server and no expiry', async () => {
    const before = Date.now();
    const tokens = await externalTokens(sandbox);
    expect(tokens).toMatchObject({ instanceUrl: sandbox.urls.origin, identityUrl: expect.stringContaining('/id/00DSBX000000001/'), scope: 'api refresh_token' });
    expect(tokens.refreshToken).toMatch(/^5Aep861/);
    expect(tokens.issuedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(Object.keys(tokens)).not.toContain('expiresIn');
  });

  it('refuses a wrong PKCE verifier and a reused code as invalid_grant', async () => {
    const client = sandboxOAuthClient(sandbox);
    const pending = client.beginAuthorization(CALLBACK);
    const { location } = await signInHeadless(pending.url);
    const code = new URL(location).searchParams.get('code')!;
    expect(new URL(location).searchParams.get('state')).toBe(pending.state);
    const wrong = expectFailure(await client.exchangeCode(code, { ...pending, codeVerifier: 'x'.repeat(64) }), 'credentials-rejected');
    expect(wrong).toMatchObject({ code: 'invalid_grant' });
    expectFailure(await client.exchangeCode(code, pending), 'credentials-rejected');
  });

  it('reports denial in the redirect, not as tokens', async () => {
    const pending = sandboxOAuthClient(sandbox).beginAuthorization(CALLBACK);
    const { location } = await signInHeadless(pending.url, { decision: 'deny' });
    expect(Object.fromEntries(new URL(location).searchParams)).toMatchObject({ error: 'access_denied', state: pending.state });
  });

  it('never redirects to a callback the connected app did not register', async () => {
    const pending = sandboxOAuthClient(sandbox).beginAuthorization('http://127.0.0.1:9/evil');
    const page = await fetch(pending.url, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('redirect_uri_mismatch');
  });

  it('maps a wrong client secret to invalid-request (invalid_client)', async () => {
    const tokens = await externalTokens(sandbox);
    const failure = expectFailure(await sandboxOAuthClient(sandbox, { clientSecret: 'wrong' }).refresh(tokens.refreshToken!), 'invalid-request');
    expect(failure).toMatchObject({ code: 'invalid_client' });
  });
});

describe('Salesforce OAuth: refresh, rotation, revoke', () => {
  it('refreshes to a new live access token and keeps the refresh token when rotation is off', async () => {
    const client = sandboxOAuthClient(sandbox);
    const first = await externalTokens(sandbox);
    sandbox.control.expireAccessTokens(first.accessToken);
    const refreshed = await client.refresh(first.refreshToken!);
    expect(refreshed.ok).toBe(true);
    if (!refreshed.ok) return;
    expect(refreshed.value.accessToken).not.toBe(first.accessToken);
    expect(refreshed.value.refreshToken).toBeUndefined();
    expect(await client.probeInstance(refreshed.value.instanceUrl, refreshed.value.accessToken)).toEqual({ ok: true, value: undefined });
  });

  it('with rotation, returns a new refresh token and the old one dies at once', async () => {
    const client = sandboxOAuthClient(sandbox);
    const first = await externalTokens(sandbox);
    sandbox.control.setRotation(true);
    const rotated = await client.refresh(first.refreshToken!);
    expect(rotated.ok && rotated.value.refreshToken).toMatch(/^5Aep861/);
    expect(rotated.ok && rotated.value.refreshToken).not.toBe(first.refreshToken);
    expectFailure(await client.refresh(first.refreshToken!), 'credentials-rejected');
    if (rotated.ok) expect((await client.refresh(rotated.value.refreshToken!)).ok).toBe(true);
  });

  it('a revoked refresh token gives invalid_grant; revoking an unknown token still succeeds', async () => {
    const client = sandboxOAuthClient(sandbox);
    const tokens = await externalTokens(sandbox);
    expect(await client.revoke(tokens.refreshToken!)).toEqual({ ok: true, value: undefined });
    const failure = expectFailure(await client.refresh(tokens.refreshToken!), 'credentials-rejected');
    // Salesforce's raw "expired access/refresh token" said in plain words (#25 item 12).
    expect(failure.message).toBe('Salesforce no longer accepts this sign-in: the sign-in was revoked or has expired. Authorize the connection again.');
    expectFailure(await client.probeInstance(tokens.instanceUrl, tokens.accessToken), 'credentials-rejected');
    expect(await client.revoke('never-issued-token-value')).toEqual({ ok: true, value: undefined });
  });

  it('a deactivated user gives invalid_grant "authentication failure"', async () => {
    sandbox.control.addUser({ username: 'leaver@sandbox.example', password: 'pw', userId: '005SBX000000009AAA', orgId: '00DSBX000000001', displayName: 'Leaver' });
    const client = sandboxOAuthClient(sandbox);
    const pending = client.beginAuthorization(CALLBACK);
    const { location } = await signInHeadless(pending.url, { username: 'leaver@sandbox.example', password: 'pw' });
    const tokens = await client.exchangeCode(new URL(location).searchParams.get('code')!, pending);
    sandbox.control.deactivateUser('leaver@sandbox.example');
    expect(expectFailure(await client.refresh(tokens.ok ? tokens.value.refreshToken! : ''), 'credentials-rejected').message).toContain('the user could not be signed in (deactivated');
  });
});

describe('Salesforce OAuth: answers that are not what they seem (#21)', () => {
  it('a 200 answer missing a field is refused, but hands over its rotated refresh token, well-formed', async () => {
    sandbox.control.setRotation(true);
    const first = await externalTokens(sandbox);
    sandbox.control.malformTokenAnswers(1);
    const refreshed = await sandboxOAuthClient(sandbox).refresh(first.refreshToken!);
    expectFailure(refreshed, 'unexpected-response');
    expect(refreshed.rotatedRefreshToken).toMatch(/^5Aep861/);
    expect(sandbox.state.liveRefreshToken(refreshed.rotatedRefreshToken)).not.toBeNull();
    expect(sandbox.state.liveRefreshToken(first.refreshToken)).toBeNull();
    // Without rotation there is nothing to keep.
    sandbox.control.setRotation(false);
    sandbox.control.malformTokenAnswers(1);
    const plain = await sandboxOAuthClient(sandbox).refresh(refreshed.rotatedRefreshToken!);
    expectFailure(plain, 'unexpected-response');
    expect(plain.rotatedRefreshToken).toBeUndefined();
  });

  it('"ip restricted or invalid login hours" is refused-for-now with Salesforce\'s words, not credentials-rejected', async () => {
    const first = await externalTokens(sandbox);
    sandbox.control.setLoginsRefused(true);
    const failure = expectFailure(await sandboxOAuthClient(sandbox).refresh(first.refreshToken!), 'refused-for-now');
    expect(failure).toMatchObject({ said: 'ip restricted or invalid login hours' });
    expect(failure.message).toContain('The app retries by itself');
  });

  it('a moved org\'s new instance URL comes through on a trusted host', async () => {
    const first = await externalTokens(sandbox);
    const moved = sandbox.urls.origin.replace('127.0.0.1', 'localhost');
    sandbox.control.moveInstance(moved);
    const client = sandboxOAuthClient(sandbox, { extraHosts: [new URL(sandbox.urls.origin).host, new URL(moved).host] });
    const refreshed = await client.refresh(first.refreshToken!);
    expect(refreshed.ok && refreshed.value.instanceUrl).toBe(moved);
  });

  it('revokes as RFC 7009 asks: with the client\'s id and secret, so a strict server takes it', async () => {
    sandbox.control.setRevokeNeedsClientAuth(true);
    const first = await externalTokens(sandbox);
    expect(await sandboxOAuthClient(sandbox, { clientSecret: undefined }).revoke(first.refreshToken!)).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    expect(sandbox.state.liveRefreshToken(first.refreshToken)).not.toBeNull();
    expect(await sandboxOAuthClient(sandbox).revoke(first.refreshToken!)).toEqual({ ok: true, value: undefined });
    expect(sandbox.state.liveRefreshToken(first.refreshToken)).toBeNull();
    expect(sandbox.control.requestLog().filter((r) => r.route === 'sf.revoke').map((r) => Object.keys(r.body as object).sort())).toEqual([['client_id', 'token'], ['client_id', 'client_secret', 'token']]);
  });
});

describe('Salesforce OAuth: introspect, identity, REST', () => {
  it('introspection gives the real expiry, then inactive once the session ends', async () => {
    sandbox.control.setSessionLifetime(30 * 60 * 1000);
    const client = sandboxOAuthClient(sandbox);
    const tokens = await externalTokens(sandbox);
    const info = await client.introspect(tokens.accessToken);
    expect(info.ok && info.value.active).toBe(true);
    expect(info.ok && Math.abs(info.value.expiresAt! - (tokens.issuedAt + 30 * 60 * 1000))).toBeLessThan(1000);
    sandbox.control.expireAccessTokens(tokens.accessToken);
    expect(await client.introspect(tokens.accessToken)).toEqual({ ok: true, value: { active: false, expiresAt: null } });
    sandbox.control.setSessionLifetime(2 * 60 * 60 * 1000);
  });

  it('introspection without the client secret is refused', async () => {
    const tokens = await externalTokens(sandbox);
    expect(expectFailure(await sandboxOAuthClient(sandbox, { clientSecret: undefined }).introspect(tokens.accessToken), 'invalid-request')).toMatchObject({ code: 'invalid_client' });
  });

  it('identity names the user and org; a dead token is credentials-rejected', async () => {
    const client = sandboxOAuthClient(sandbox);
    const tokens = await externalTokens(sandbox);
    expect(await client.identity(tokens.identityUrl, tokens.accessToken)).toEqual({ ok: true, value: { userId: '005SBX000000001AAA', orgId: '00DSBX000000001', username: SAMPLE_USER.username, displayName: 'Demo User' } });
    sandbox.control.expireAccessTokens(tokens.accessToken);
    expectFailure(await client.identity(tokens.identityUrl, tokens.accessToken), 'credentials-rejected');
  });

  it('never sends a token to an identity or instance URL outside Salesforce', async () => {
    const client = sandboxOAuthClient(sandbox);
    sandbox.control.clearRequestLog();
    expectFailure(await client.identity('https://evil.example/id/00D/005', 'token-value'), 'invalid-request');
    expectFailure(await client.probeInstance('https://salesforce.com.evil.example', 'token-value'), 'invalid-request');
    expect(sandbox.control.requestLog()).toHaveLength(0);
  });

  it('refuses a token response whose instance_url is not Salesforce', async () => {
    const tokens = await externalTokens(sandbox);
    const body = JSON.stringify({ access_token: '00DSBX000000001!abcdefghijklmnop', instance_url: 'https://evil.example', id: 'https://evil.example/id/1/2', issued_at: String(Date.now()), token_type: 'Bearer' });
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'status', status: 200, body }, remaining: 1 });
    const failure = expectFailure(await sandboxOAuthClient(sandbox).refresh(tokens.refreshToken!), 'unexpected-response');
    expect(failure.message).toContain('outside Salesforce');
  });

  it('the REST endpoint answers INVALID_SESSION_ID for a dead token', async () => {
    const tokens = await externalTokens(sandbox);
    sandbox.control.expireAccessTokens(tokens.accessToken);
    expect(expectFailure(await sandboxOAuthClient(sandbox).probeInstance(tokens.instanceUrl, tokens.accessToken), 'credentials-rejected')).toMatchObject({ code: 'INVALID_SESSION_ID' });
  });
});

describe('Salesforce OAuth: transient failures', () => {
  it('429 with Retry-After: 30 is rate-limited with 30 s; 503 is server-error', async () => {
    const tokens = await externalTokens(sandbox);
    const client = sandboxOAuthClient(sandbox);
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'status', status: 429, retryAfter: '30', body: '' }, remaining: 1 });
    expect(expectFailure(await client.refresh(tokens.refreshToken!), 'rate-limited')).toMatchObject({ retryAfterMs: 30_000 });
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'status', status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' }, remaining: 1 });
    expect(expectFailure(await client.refresh(tokens.refreshToken!), 'server-error')).toMatchObject({ status: 503, retryAfterMs: null });
    expect((await client.refresh(tokens.refreshToken!)).ok).toBe(true);
  });

  it('a hang is a timeout and a reset is a network failure', async () => {
    const tokens = await externalTokens(sandbox);
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'hang' }, remaining: 1 });
    expectFailure(await sandboxOAuthClient(sandbox, { timeoutMs: 300 }).refresh(tokens.refreshToken!), 'timeout');
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'reset' }, remaining: 1 });
    expectFailure(await sandboxOAuthClient(sandbox).refresh(tokens.refreshToken!), 'network');
  });
});
