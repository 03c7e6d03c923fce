/**
 * The sandbox's control page over real HTTP: each form runs its control on the sandbox, redirects
 * back, and the page then says what the app should do next. Bad input changes nothing and is never
 * reflected into the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { externalTokens, internalTokens } from '../support/sandbox-tokens.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

/** Submits a control form as a browser would and returns the page it is redirected to. */
async function submit(form: Record<string, string>): Promise<string> {
  const posted = await fetch(`${sandbox.urls.origin}/sandbox/control`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(), redirect: 'manual' });
  expect(posted.status).toBe(303);
  const page = await fetch(new URL(posted.headers.get('location')!, sandbox.urls.origin));
  expect(page.status).toBe(200);
  return page.text();
}

describe('sandbox control page', () => {
  it('is served at the sandbox address with every control', async () => {
    const html = await (await fetch(`${sandbox.urls.origin}/`)).text();
    for (const label of ['Expire all access tokens', 'Revoke all refresh tokens', 'Turn rotation on', 'Set session lifetime', 'Shift the clock', 'Inject fault', 'Reject the user key', 'Issue tokens to paste']) expect(html).toContain(label);
    expect(html).toContain(`"Sandbox address": <code>${sandbox.urls.origin}</code>`);
  });

  it('expires and revokes for real, and says what the app should do next', async () => {
    const t = await internalTokens(sandbox);
    expect(await submit({ action: 'expire' })).toContain('the app should stay healthy');
    expect(sandbox.state.liveAccessToken(t.accessToken)).toBeNull();
    expect(sandbox.state.liveRefreshToken(t.refreshToken)).not.toBeNull();
    expect(await submit({ action: 'revoke' })).toContain('each connection should show &#34;Needs you&#34;, with exactly one notification for all of them');
    expect(sandbox.state.liveRefreshToken(t.refreshToken)).toBeNull();
  });

  it('stages an instance move, login hours, malformed token answers and a strict revocation endpoint', async () => {
    const html = await (await fetch(`${sandbox.urls.origin}/`)).text();
    for (const label of ['Move the org to another instance', 'Refuse logins for now (login hours)', 'Send malformed token answers', 'Require client authentication to revoke (RFC 7009)']) expect(html).toContain(label);
    const t = await externalTokens(sandbox);
    const refresh = () => fetch(`${sandbox.urls.salesforceLogin}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refreshToken!, client_id: SAMPLE_CLIENT.clientId }).toString() });

    expect(await submit({ action: 'move-instance' })).toContain('the app should adopt the new instance');
    const moved = (await (await refresh()).json()) as { instance_url: string };
    expect(moved.instance_url).toBe(sandbox.urls.origin.replace('127.0.0.1', 'localhost'));
    expect(await submit({ action: 'move-instance' })).toContain('Move the org to another instance');
    expect(((await (await refresh()).json()) as { instance_url: string }).instance_url).toBe(sandbox.urls.origin);

    expect(await submit({ action: 'refuse-logins' })).toContain('Allow logins again');
    expect(await (await refresh()).json()).toEqual({ error: 'invalid_grant', error_description: 'ip restricted or invalid login hours' });
    await submit({ action: 'allow-logins' });
    expect((await refresh()).status).toBe(200);

    expect(await submit({ action: 'malformed', count: 'x' })).toContain('nothing changed');
    expect(await submit({ action: 'malformed', count: '1' })).toContain('keep the new refresh token anyway');
    const malformed = (await (await refresh()).json()) as Record<string, unknown>;
    expect(malformed['access_token']).toBeDefined();
    expect(malformed['issued_at']).toBeUndefined();
    expect(((await (await refresh()).json()) as Record<string, unknown>)['issued_at']).toBeDefined();

    expect(await submit({ action: 'strict-revoke-on' })).toContain('Accept bare revocations (as Salesforce)');
    const revoke = (form: Record<string, string>) => fetch(`${sandbox.urls.salesforceLogin}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    expect((await revoke({ token: t.refreshToken! })).status).toBe(401);
    expect((await revoke({ token: t.refreshToken!, client_id: SAMPLE_CLIENT.clientId, client_secret: 'wrong-secret' })).status).toBe(401);
    expect(sandbox.state.liveRefreshToken(t.refreshToken)).not.toBeNull();
    expect((await revoke({ token: t.refreshToken!, client_id: SAMPLE_CLIENT.clientId, client_secret: SAMPLE_CLIENT.clientSecret })).status).toBe(200);
    expect(sandbox.state.liveRefreshToken(t.refreshToken)).toBeNull();
    await submit({ action: 'strict-revoke-off' });
  });

  it('sets rotation, session lifetime and clock shift', async () => {
    expect(await submit({ action: 'rotation-on' })).toContain('Turn rotation off');
    expect(sandbox.state.rotation).toBe(true);
    await submit({ action: 'rotation-off' });
    expect(sandbox.state.rotation).toBe(false);
    await submit({ action: 'lifetime', minutes: '15' });
    expect(sandbox.state.sessionLifetimeMs).toBe(15 * 60_000);
    await submit({ action: 'clock', minutes: '-7' });
    expect(sandbox.state.clockOffsetMs).toBe(-7 * 60_000);
    await submit({ action: 'clock', minutes: '0' });
  });

  it('injects 503 / 429 with Retry-After on the chosen route, then clears', async () => {
    expect(await submit({ action: 'fault', route: 'd2c.application.count', status: '429', retryAfter: '30', count: '1' })).toContain('nothing changed');
    expect(await submit({ action: 'fault', route: 'sf.token', status: '429', retryAfter: '30', count: '2' })).toContain('wait at least the Retry-After');
    const token = () => fetch(`${sandbox.urls.salesforceLogin}/services/oauth2/token`, { method: 'POST', body: 'grant_type=refresh_token' });
    for (let i = 0; i < 2; i++) {
      const limited = await token();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('30');
    }
    expect((await token()).status).not.toBe(429);
    await submit({ action: 'fault', route: '*', status: '503', retryAfter: '5', count: '9' });
    await submit({ action: 'clear-faults' });
    expect((await fetch(`${sandbox.urls.origin}/`)).status).toBe(200);
  });

  it('deletes an application and rejects / accepts the user key', async () => {
    const t = await internalTokens(sandbox);
    const created = await fetch(`${sandbox.urls.data2crmApi}/application`, { method: 'POST', headers: { 'X-API2CRM-USER-KEY': SAMPLE_USER_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'Salesforce', description: 'Control page org', authorization: 'oAuth-internal', credential: [{ name: 'instance_url', value: t.instanceUrl }, { name: 'access_token', value: t.accessToken }, { name: 'refresh_token', value: t.refreshToken }] }) });
    const { key } = (await created.json()) as { key: string };
    expect(await (await fetch(`${sandbox.urls.origin}/`)).text()).toContain('Delete application Control page org');
    expect(await submit({ action: 'delete-application', key })).toContain('offer Register again');
    expect(sandbox.state.applications.has(key)).toBe(false);
    expect(await submit({ action: 'reject-key' })).toContain('Accept the user key again');
    expect((await fetch(`${sandbox.urls.data2crmApi}/application/count`, { headers: { 'X-API2CRM-USER-KEY': SAMPLE_USER_KEY } })).status).toBe(401);
    await submit({ action: 'accept-key' });
    expect((await fetch(`${sandbox.urls.data2crmApi}/application/count`, { headers: { 'X-API2CRM-USER-KEY': SAMPLE_USER_KEY } })).status).toBe(200);
  });

  it('changes nothing on bad input and never reflects it', async () => {
    const before = sandbox.state.sessionLifetimeMs;
    const html = await submit({ action: 'lifetime', minutes: '<script>x</script>' });
    expect(html).toContain('nothing changed');
    expect(html).not.toContain('<script>x');
    expect(sandbox.state.sessionLifetimeMs).toBe(before);
    expect(await submit({ action: '<img src=x>' })).not.toContain('<img src=x>');
  });
});
