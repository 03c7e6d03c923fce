/**
 * Keep-alive against the sandbox (real HTTP, real keychain) with hours passing on a fake clock
 * that the sandbox follows.
 */
import type { Browser } from '@playwright/test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshMarginMs } from '../../main/core/keepalive/token-lifetime.js';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';
import { SAMPLE_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { launchChromium } from '../support/chromium.js';
import { createConnectHarness, type ConnectHarness } from '../support/connect-harness.js';
import { createKeepAliveHarness } from '../support/keep-alive-harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let sandbox: Sandbox;
let browser: Browser;
let h: ConnectHarness;
let k: ReturnType<typeof createKeepAliveHarness>;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());
beforeEach(async () => {
  sandbox = await startSandbox();
  h = await createConnectHarness(sandbox, browser);
});
afterEach(async () => {
  k?.keepAlive.stop();
  await h.cleanup();
  await sandbox.close();
});

async function connectExternal(): Promise<ConnectionRecord> {
  const result = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const routes = () => sandbox.control.requestLog().map((r) => `${r.route} ${r.status}`);
const keychainRefreshToken = async (id: string) => (JSON.parse((await h.store.get(`connection:${id}`))!) as { refreshToken: string }).refreshToken;

describe('keep-alive: oAuth-external-refresh', () => {
  it('refreshes and pushes before the session ends, so Data2CRM never rejects the connection', async () => {
    sandbox.control.setSessionLifetime(30 * MIN);
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 30 * MIN, skewMs: 5 * MIN, jitterMs: MIN, verifyIntervalMs: HOUR });
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    const checks: boolean[] = [];
    await k.advance(4 * HOUR, async () => {
      const alive = sandbox.state.applications.get(record.applicationKey!)!;
      checks.push(sandbox.state.liveAccessToken(alive.credentials['access_token']) !== null);
    });
    expect(checks.length).toBeGreaterThanOrEqual(8);
    expect(checks.every(Boolean)).toBe(true);
    expect(routes().filter((r) => r.endsWith(' 401'))).toEqual([]);
    expect(routes().filter((r) => r === 'sf.token 200').length).toBeGreaterThanOrEqual(8);
    expect(routes().filter((r) => r === 'd2c.application.update 200').length).toBe(routes().filter((r) => r === 'sf.token 200').length);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
    expect(k.notices).toEqual([]);
  });

  it('plans the proactive refresh before the estimated expiry, within the jitter window', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 2 * HOUR, skewMs: 10 * MIN, jitterMs: MIN, verifyIntervalMs: 3 * HOUR });
    k.keepAlive.start();
    const refreshAt = record.tokenIssuedAt! + 2 * HOUR - 10 * MIN;
    const planned = k.keepAlive.scheduler.dueAt(record.id)!;
    expect(planned).toBeLessThanOrEqual(refreshAt);
    expect(planned).toBeGreaterThanOrEqual(refreshAt - MIN);
    sandbox.control.clearRequestLog();
    await k.advance(planned - k.clock.now() - 1);
    expect(routes()).toEqual([]);
    await k.advance(2);
    expect(routes().slice(0, 2)).toEqual(['sf.token 200', 'd2c.application.update 200']);
  });

  it('learns the org\'s real session lifetime by introspection once, and refreshes before it', async () => {
    sandbox.control.setSessionLifetime(20 * MIN);
    const record = await connectExternal();
    expect(record.learnedLifetimeMs).toBeGreaterThan(19 * MIN);
    expect(record.learnedLifetimeMs).toBeLessThanOrEqual(20 * MIN);
    // The configured lifetime (2 h) is wrong for this org; the learned one wins.
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 2 * HOUR, skewMs: 5 * MIN, jitterMs: MIN, verifyIntervalMs: 3 * HOUR });
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    await k.advance(2 * HOUR);
    expect(routes().filter((r) => r.endsWith(' 401'))).toEqual([]);
    // A refresh about every 18 min: the margin is at most a tenth of the 20-min lifetime (2 min), not the configured 5.
    expect(routes().filter((r) => r === 'sf.token 200').length).toBeGreaterThanOrEqual(Math.floor((2 * HOUR) / (20 * MIN - refreshMarginMs(record, k.settings().refresh))));
    expect(routes().filter((r) => r.startsWith('sf.introspect'))).toEqual([]);
  });

  it('with rotation on, the keychain always holds the newest refresh token', async () => {
    sandbox.control.setSessionLifetime(30 * MIN);
    sandbox.control.setRotation(true);
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 30 * MIN, skewMs: 5 * MIN });
    k.keepAlive.start();
    const seen = new Set<string>();
    await k.advance(3 * HOUR, async () => {
      const stored = await keychainRefreshToken(record.id);
      seen.add(stored);
      expect(sandbox.state.liveRefreshToken(stored), 'the stored refresh token works').not.toBeNull();
    });
    expect(seen.size).toBeGreaterThanOrEqual(5);
    for (const old of [...seen].slice(0, -1)) expect(sandbox.state.liveRefreshToken(old)).toBeNull();
  });

  it('a forced expiry makes Data2CRM answer 401; one refresh and one retry recover it without the user', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { verifyIntervalMs: 15 * MIN });
    k.keepAlive.start();
    sandbox.control.expireAccessTokens();
    sandbox.control.clearRequestLog();
    await k.advance(16 * MIN);
    // The token died before its expected expiry, so the lifetime is learned again (introspect).
    expect(routes()).toEqual(['d2c.application.get 200', 'sf.token 200', 'sf.introspect 200', 'd2c.application.update 200', 'd2c.application.get 200', 'd2c.crm.user-count 200']);
    expect(k.record(record.id).status).toBe('healthy');
    expect(k.notices).toEqual([]);
  });

  it('a revoked refresh token ends in needs-reauthorization with exactly one notification and no further attempts', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { verifyIntervalMs: 15 * MIN });
    k.keepAlive.start();
    sandbox.control.revokeRefreshToken(h.vault.secretsOf(record.id)!.refreshToken!);
    sandbox.control.clearRequestLog();
    await k.advance(24 * HOUR);
    expect(routes().filter((r) => r.startsWith('sf.token'))).toEqual(['sf.token 400']);
    expect(k.record(record.id)).toMatchObject({ status: 'needs-reauthorization' });
    expect(k.notices).toHaveLength(1);
    expect(k.notices[0]).toMatchObject({ title: 'Own app needs you', openDialogFor: record.id });
    expect(k.events.filter((e) => e.to === 'needs-reauthorization')).toHaveLength(1);
  });

  it('network drops and 5xx during refresh keep the old tokens, back off, and recover', async () => {
    sandbox.control.setSessionLifetime(30 * MIN);
    const record = await connectExternal();
    const before = h.vault.secretsOf(record.id)!;
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 30 * MIN, skewMs: 10 * MIN });
    k.keepAlive.start();
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'reset' }, remaining: 1 });
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'status', status: 503, retryAfter: '30' }, remaining: 2 });
    const statuses: string[] = [];
    // The refresh is due 3 min (a tenth of the lifetime) before the 30-min expiry.
    await k.advance(29 * MIN, async () => {
      statuses.push(k.record(record.id).status);
      if (k.record(record.id).status === 'retrying') expect(await keychainRefreshToken(record.id)).toBe(before.refreshToken);
    });
    expect(statuses).toContain('retrying');
    expect(k.record(record.id).status).toBe('healthy');
    expect(h.vault.secretsOf(record.id)!.accessToken).not.toBe(before.accessToken);
    expect(sandbox.state.liveAccessToken(h.vault.secretsOf(record.id)!.accessToken)).not.toBeNull();
    expect(k.notices).toEqual([]);
  });

  it('a push that fails after a refresh is retried with the latest credentials', async () => {
    sandbox.control.setSessionLifetime(30 * MIN);
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 30 * MIN, skewMs: 10 * MIN });
    k.keepAlive.start();
    sandbox.control.fault({ route: 'd2c.application.update', fault: { kind: 'status', status: 502 }, remaining: 2 });
    sandbox.control.clearRequestLog();
    await k.advance(29 * MIN);
    expect(routes().filter((r) => r.startsWith('sf.token'))).toEqual(['sf.token 200']);
    expect(routes().filter((r) => r.startsWith('d2c.application.update'))).toEqual(['d2c.application.update 502', 'd2c.application.update 502', 'd2c.application.update 200']);
    const app = sandbox.state.applications.get(record.applicationKey!)!;
    expect(app.credentials['access_token']).toBe(h.vault.secretsOf(record.id)!.accessToken);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
  });
});

describe('keep-alive: oAuth-internal', () => {
  async function connectInternal(): Promise<ConnectionRecord> {
    const result = await h.connections.connectInternal({ label: 'Acme', crmType: 'Salesforce' });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  it('verifies on its interval and records when', async () => {
    const record = await connectInternal();
    k = createKeepAliveHarness(sandbox, h, { internalIntervalMs: 15 * MIN });
    k.keepAlive.start();
    sandbox.control.clearRequestLog();
    // Every 15 min, and up to the jitter later (never earlier).
    await k.advance(64 * MIN);
    expect(routes().filter((r) => r === 'd2c.crm.user-count 200')).toHaveLength(4);
    expect(k.record(record.id).lastVerifiedAt).toBeGreaterThan(record.lastVerifiedAt!);
  });

  it('recovers by silent re-authorization when the sign-in session allows it', async () => {
    const record = await connectInternal();
    k = createKeepAliveHarness(sandbox, h, { internalIntervalMs: 15 * MIN });
    k.keepAlive.start();
    const app = sandbox.state.applications.get(record.applicationKey!)!;
    sandbox.control.revokeRefreshToken(app.credentials['refresh_token']!);
    h.authBrowser.nextAction = 'nothing';
    await k.advance(16 * MIN);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy' });
    expect(h.authBrowser.opened).toHaveLength(2);
    expect(sandbox.state.liveRefreshToken(sandbox.state.applications.get(record.applicationKey!)!.credentials['refresh_token'])).not.toBeNull();
    expect(k.notices).toEqual([]);
  });

  it('asks the user when the silent sign-in would need input', async () => {
    const record = await connectInternal();
    k = createKeepAliveHarness(sandbox, h, { internalIntervalMs: 15 * MIN });
    k.keepAlive.start();
    sandbox.control.revokeRefreshToken(sandbox.state.applications.get(record.applicationKey!)!.credentials['refresh_token']!);
    sandbox.control.setAutoApprove(false);
    h.authBrowser.nextAction = 'nothing';
    // Reach the check, wait until the hidden sign-in page is open, then let its timeout pass.
    k.clock.advance(k.keepAlive.nextRunAt(record.id)! - k.clock.now());
    k.sync();
    for (let i = 0; i < 200 && h.authBrowser.opened.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    k.clock.advance(31_000);
    await k.keepAlive.whenIdle();
    expect(k.record(record.id)).toMatchObject({ status: 'needs-reauthorization' });
    await k.advance(3_000);
    expect(k.notices).toHaveLength(1);
  });
});
