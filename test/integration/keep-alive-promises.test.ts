/**
 * Keep-alive keeps its own promises (tracker #21): short sessions make no verify storm and refresh
 * about once per lifetime, an org Salesforce moves is followed, a 200 answer with a bad field keeps
 * its rotated refresh token, "Salesforce refuses for now" passes by itself with one notice, and an
 * unknown refusal that lasts a day says the user must act. The whole keep-alive over real HTTP to
 * the sandbox, the real keychain and the real state store, on a fake clock the sandbox follows.
 */
import type { Browser } from '@playwright/test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activityWords } from '../../shared/activity-words.js';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';
import { twinOrigin } from '../sandbox/control-page.js';
import { SAMPLE_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { launchChromium } from '../support/chromium.js';
import { createConnectHarness, type ConnectHarness } from '../support/connect-harness.js';
import { createKeepAliveHarness } from '../support/keep-alive-harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let sandbox: Sandbox;
let browser: Browser;
let h: ConnectHarness;
let k: ReturnType<typeof createKeepAliveHarness> | undefined;

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
  k = undefined;
  await h.cleanup();
  await sandbox.close();
});

async function connectExternal(withSecret = true): Promise<ConnectionRecord> {
  const result = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, ...(withSecret ? { clientSecret: SAMPLE_CLIENT.clientSecret } : {}) });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const log = () => sandbox.control.requestLog();
const routes = () => log().map((r) => `${r.route} ${r.status}`);
const refreshes = (from = -Infinity, to = Infinity) => log().filter((e) => e.route === 'sf.token' && e.status === 200 && e.at >= from && e.at < to).length;
const keychainRefreshToken = async (id: string) => (JSON.parse((await h.store.get(`connection:${id}`))!) as { refreshToken: string }).refreshToken;

/** The most Data2CRM verifications (one application read each) in any one minute of sandbox time. */
function mostVerificationsInAMinute(): number {
  const perMinute = new Map<number, number>();
  for (const e of log()) if (e.route === 'd2c.application.get') perMinute.set(Math.floor(e.at / MIN), (perMinute.get(Math.floor(e.at / MIN)) ?? 0) + 1);
  return Math.max(0, ...perMinute.values());
}

/** The longest Data2CRM held a dead access token (sandbox time), looked at after every step. */
function watchPushedTokens(applicationKey: string) {
  let worstMs = 0;
  return {
    async step() {
      const held = sandbox.state.applications.get(applicationKey)!.credentials['access_token']!;
      worstMs = Math.max(worstMs, sandbox.state.now() - sandbox.state.accessTokens.get(held)!.expiresAt);
    },
    worstMs: () => worstMs,
  };
}

/** A small seeded PRNG: real jitter, replayable. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('1-2. short sessions: planned at the earliest useful moment, jitter only later, the margin a fraction of the lifetime', () => {
  for (const session of [15 * MIN, 20 * MIN]) {
    it(`${session / MIN}-min sessions over 3 simulated hours (default settings: renew 10 min early, 60 s jitter): ≤ 1.2× the ideal refreshes, ≤ 2 verifications in any minute, no storm-guard error, Data2CRM never holds a dead token`, async () => {
      sandbox.control.setSessionLifetime(session);
      const record = await connectExternal();
      k = createKeepAliveHarness(sandbox, h, {}, { random: prng(session) });
      sandbox.control.clearRequestLog();
      k.keepAlive.start();
      const watch = watchPushedTokens(record.applicationKey!);
      await k.advance(3 * HOUR, watch.step);
      const ideal = (3 * HOUR) / session;
      expect(refreshes()).toBeLessThanOrEqual(1.2 * ideal);
      expect(refreshes()).toBeGreaterThanOrEqual(ideal - 1);
      expect(mostVerificationsInAMinute()).toBeLessThanOrEqual(2);
      expect(h.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
      expect(watch.worstMs()).toBeLessThanOrEqual(0);
      expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
      expect(k.notices).toEqual([]);
    }, 120_000);
  }

  it('a 15-min session with our clock 6 min ahead of Salesforce\'s makes ≤ 5 refreshes in every hour', async () => {
    sandbox.control.setSessionLifetime(15 * MIN);
    sandbox.control.setServerClockSkew(-6 * MIN);
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, {}, { random: prng(6) });
    sandbox.control.setServerClockSkew(-6 * MIN);
    sandbox.control.clearRequestLog();
    const start = sandbox.state.now();
    k.keepAlive.start();
    const watch = watchPushedTokens(record.applicationKey!);
    await k.advance(3 * HOUR, watch.step);
    for (let hour = 0; hour < 3; hour++) expect(refreshes(start + hour * HOUR, start + (hour + 1) * HOUR), `hour ${hour + 1}`).toBeLessThanOrEqual(5);
    expect(refreshes()).toBeGreaterThanOrEqual(11);
    expect(watch.worstMs()).toBeLessThanOrEqual(0);
    expect(k.record(record.id).status).toBe('healthy');
  }, 120_000);
});

describe('3. an org that moves to another instance', () => {
  it('the new instance URL of a trusted token answer is adopted, stored, pushed and told in the activity log; never "needs re-authorization"', async () => {
    const moved = twinOrigin(sandbox.urls.origin);
    h.settings.update((s) => ({ ...s, extraInstanceHosts: [...s.extraInstanceHosts, new URL(moved).host] }));
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h);
    k.keepAlive.start();
    await k.advance(30 * MIN);
    sandbox.control.moveInstance(moved);
    const statuses = new Set<string>();
    await k.advance(3 * HOUR, async () => void statuses.add(k!.record(record.id).status));
    expect([...statuses]).not.toContain('needs-reauthorization');
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', instanceUrl: moved, pushPending: false });
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['instance_url']).toBe(moved);
    // Data2CRM's calls reach the org again.
    expect(routes().filter((r) => r.startsWith('d2c.crm.user-count')).at(-1)).toBe('d2c.crm.user-count 200');
    expect(k.activity.entries().filter((e) => e.kind === 'moved').map(activityWords)).toEqual([`Salesforce moved this org to ${moved}`]);
    expect(k.notices).toEqual([]);
    // A restart plans from the stored record: the move is kept.
    expect(h.settings.connection(record.id)!.instanceUrl).toBe(moved);
  }, 120_000);

  it('a Data2CRM sign-in connection follows too: the silent sign-in names the new instance, which is pushed and told in the activity log', async () => {
    const moved = twinOrigin(sandbox.urls.origin);
    h.settings.update((s) => ({ ...s, extraInstanceHosts: [...s.extraInstanceHosts, new URL(moved).host] }));
    const connected = await h.connections.connectInternal({ label: 'Acme', crmType: 'Salesforce' });
    if (!connected.ok) throw new Error(connected.error.message);
    const record = connected.value;
    k = createKeepAliveHarness(sandbox, h, { internalIntervalMs: 15 * MIN });
    k.keepAlive.start();
    sandbox.control.moveInstance(moved);
    h.authBrowser.nextAction = 'nothing';
    await k.advance(20 * MIN);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', instanceUrl: moved, pushPending: false });
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['instance_url']).toBe(moved);
    expect(k.activity.entries().filter((e) => e.kind === 'moved').map(activityWords)).toEqual([`Salesforce moved this org to ${moved}`]);
    expect(k.notices).toEqual([]);
  });

  it('a new instance outside Salesforce\'s domains and the configured hosts is not adopted: nothing is sent there, the state says why', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h);
    sandbox.control.moveInstance('http://127.0.0.2:9');
    await k.keepAlive.refreshNow(record.id);
    expect(k.record(record.id)).toMatchObject({ status: 'degraded', instanceUrl: record.instanceUrl });
    expect(k.record(record.id).statusDetail).toMatch(/outside Salesforce’s domains/);
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['instance_url']).toBe(record.instanceUrl);
    expect(k.events.filter((e) => e.kind === 'moved')).toEqual([]);
  });
});

describe('5. a refresh answer that fails validation', () => {
  it('a 200 answer without issued_at keeps its rotated refresh token: the next refresh works, never invalid_grant or "needs re-authorization"', async () => {
    sandbox.control.setRotation(true);
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h);
    const before = h.vault.secretsOf(record.id)!.refreshToken!;
    sandbox.control.malformTokenAnswers(1);
    sandbox.control.clearRequestLog();
    await k.keepAlive.refreshNow(record.id);
    expect(k.record(record.id).status).toBe('degraded');
    // The answer was refused, but its refresh token (the only live one now) is in the keychain.
    const kept = await keychainRefreshToken(record.id);
    expect(kept).not.toBe(before);
    expect(sandbox.state.liveRefreshToken(before)).toBeNull();
    expect(sandbox.state.liveRefreshToken(kept)).not.toBeNull();
    await k.keepAlive.refreshNow(record.id);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
    expect(routes().filter((r) => r.startsWith('sf.token'))).toEqual(['sf.token 200', 'sf.token 200']);
    expect(k.events.filter((e) => e.to === 'needs-reauthorization')).toEqual([]);
  });
});

describe('6. notified by duration and consequence; "refuses for now" and lasting refusals', () => {
  it('"ip restricted or invalid login hours" is "Salesforce refuses for now": one notice with Salesforce\'s words, slow retries, recovers by itself', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h);
    k.keepAlive.start();
    sandbox.control.setLoginsRefused(true);
    // The refresh before the 2-h expiry is refused; hours pass outside the login hours.
    await k.advance(2 * HOUR);
    expect(k.record(record.id).status).toBe('refused-for-now');
    expect(k.record(record.id).statusDetail).toContain('ip restricted or invalid login hours');
    sandbox.control.clearRequestLog();
    await k.advance(3 * HOUR);
    expect(k.record(record.id).status).toBe('refused-for-now');
    // Asked again every 30 min, not in backoff's seconds.
    expect(log().filter((e) => e.route === 'sf.token').length).toBeGreaterThanOrEqual(5);
    expect(log().filter((e) => e.route === 'sf.token').length).toBeLessThanOrEqual(7);
    expect(k.notices.map((n) => n.title)).toEqual(['Salesforce refuses Own app for now']);
    expect(k.notices[0]!.body).toContain('ip restricted or invalid login hours');
    sandbox.control.setLoginsRefused(false);
    await k.advance(31 * MIN);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', statusDetail: null, pushPending: false });
    expect(sandbox.state.liveAccessToken(sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token'])).not.toBeNull();
    expect(k.notices).toHaveLength(1);
    expect(k.events.filter((e) => e.to === 'needs-reauthorization')).toEqual([]);
  }, 120_000);

  it('an unknown 400 from the token endpoint is retried slowly and told once; after a day of it the user is told to act', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h);
    k.keepAlive.start();
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'status', status: 400, body: JSON.stringify({ error: 'org_policy_unknown', error_description: 'Refused by a policy the app does not know' }) } });
    await k.advance(20 * HOUR);
    expect(k.record(record.id).status).toBe('degraded');
    expect(k.notices.map((n) => n.title)).toEqual(['Own app keeps failing']);
    await k.advance(8 * HOUR);
    expect(k.record(record.id).status).toBe('needs-reauthorization');
    expect(k.record(record.id).statusDetail).toMatch(/for a day/);
    expect(k.notices.map((n) => n.title)).toEqual(['Own app keeps failing', 'Own app needs you']);
    // Once the user must act, nothing is retried behind their back.
    sandbox.control.clearRequestLog();
    await k.advance(6 * HOUR);
    expect(routes()).toEqual([]);
  }, 180_000);
});
