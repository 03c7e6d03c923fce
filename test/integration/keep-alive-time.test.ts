/**
 * Keep-alive and time (tracker #10): our clock off Salesforce's, jumping while running, sleeping,
 * the storm guard, pending pushes, failure classes and the learned lifetime. The whole keep-alive
 * over real HTTP to the sandbox and the real keychain, on a fake clock the sandbox follows in
 * real time (so our wall clock can be wrong while Salesforce's is right).
 */
import type { Browser } from '@playwright/test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshMarginMs } from '../../main/core/keepalive/token-lifetime.js';
import { DEFAULT_REFRESH_SETTINGS, type ConnectionRecord } from '../../main/core/settings/schema.js';
import { UNREADABLE_SECRETS } from '../../main/core/secrets/storage-messages.js';
import { longOAuthError, proxyForbiddenPage } from '../sandbox/faults.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { launchChromium } from '../support/chromium.js';
import { createConnectHarness, type ConnectHarness } from '../support/connect-harness.js';
import { createKeepAliveHarness } from '../support/keep-alive-harness.js';
import { externalTokens } from '../support/sandbox-tokens.js';

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
const tokenCalls = () => log().filter((r) => r.route === 'sf.token').length;

/** How long Data2CRM held each access token after it died (sandbox time), checked on every step. */
function watchPushedTokens(applicationKey: string) {
  let current = sandbox.state.applications.get(applicationKey)!.credentials['access_token']!;
  let worstMs = 0;
  const deadFor = (token: string) => Math.max(0, sandbox.state.now() - sandbox.state.accessTokens.get(token)!.expiresAt);
  return {
    async step() {
      const now = sandbox.state.applications.get(applicationKey)!.credentials['access_token']!;
      worstMs = Math.max(worstMs, deadFor(current));
      current = now;
    },
    worstMs: () => Math.max(worstMs, deadFor(current)),
  };
}

const settingsFor = (session: number) => ({ sessionLifetimeMs: session, skewMs: session <= 15 * MIN ? 5 * MIN : 10 * MIN, jitterMs: 0, verifyIntervalMs: HOUR });
/** The time between two refreshes: the lifetime less the margin (the configured one, at most a tenth of the lifetime). */
const refreshEvery = (session: number) => session - refreshMarginMs({ learnedLifetimeMs: session }, { ...DEFAULT_REFRESH_SETTINGS, ...settingsFor(session) });

describe('keep-alive: our clock vs Salesforce\'s', () => {
  for (const session of [15 * MIN, 2 * HOUR]) {
    for (const offset of [2 * HOUR, -2 * HOUR, 6 * MIN, -6 * MIN]) {
      it(`session ${session / MIN} min, our clock ${offset > 0 ? 'behind' : 'ahead of'} Salesforce's by ${Math.abs(offset) / MIN} min from the start: token calls stay within the bound, Data2CRM never holds a dead token`, async () => {
        sandbox.control.setSessionLifetime(session);
        sandbox.control.setServerClockSkew(offset);
        const record = await connectExternal();
        const refresh = settingsFor(session);
        k = createKeepAliveHarness(sandbox, h, refresh);
        sandbox.control.setServerClockSkew(offset);
        sandbox.control.clearRequestLog();
        k.keepAlive.start();
        const watch = watchPushedTokens(record.applicationKey!);
        const elapsed = 12 * session;
        await k.advance(elapsed, watch.step);
        expect(tokenCalls()).toBeGreaterThanOrEqual(Math.floor(elapsed / refreshEvery(session)) - 1);
        expect(tokenCalls()).toBeLessThanOrEqual(Math.ceil(elapsed / refreshEvery(session)) + 1);
        expect(watch.worstMs()).toBe(0);
        expect(routes().filter((r) => r.endsWith(' 401'))).toEqual([]);
        expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
      });
    }
  }

  for (const session of [15 * MIN, 2 * HOUR]) {
    for (const jump of [2 * HOUR, -2 * HOUR, 6 * MIN, -6 * MIN]) {
      it(`session ${session / MIN} min, our wall clock jumps ${jump > 0 ? 'forward' : 'back'} ${Math.abs(jump) / MIN} min while running: the bound holds and ages stay true`, async () => {
        sandbox.control.setSessionLifetime(session);
        const record = await connectExternal();
        const refresh = settingsFor(session);
        k = createKeepAliveHarness(sandbox, h, refresh);
        sandbox.control.clearRequestLog();
        k.keepAlive.start();
        const watch = watchPushedTokens(record.applicationKey!);
        await k.advance(session / 3, watch.step);
        k.clock.jumpWall(jump);
        const elapsed = 12 * session;
        await k.advance(elapsed - session / 3, watch.step);
        expect(tokenCalls()).toBeLessThanOrEqual(Math.ceil(elapsed / refreshEvery(session)) + 1);
        // At most one verify interval with a dead token; in fact none.
        expect(watch.worstMs()).toBeLessThanOrEqual(refresh.verifyIntervalMs);
        expect(watch.worstMs()).toBe(0);
        // The stored receipt time is on the (moved) wall clock: its age is the token's real age.
        const current = sandbox.state.accessTokens.get(h.vault.secretsOf(record.id)!.accessToken)!;
        const realAge = sandbox.state.now() - current.issuedAt;
        expect(Math.abs(k.clock.now() - k.record(record.id).tokenReceivedAt! - realAge)).toBeLessThan(5_000);
        expect(k.record(record.id).status).toBe('healthy');
      });
    }
  }

  it('sleeping past the expiry with a push pending: refreshes first, then pushes the fresh token', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, settingsFor(2 * HOUR));
    k.keepAlive.start();
    // The refresh at 110 min succeeds; its push fails and asks us to come back in an hour.
    sandbox.control.fault({ route: 'd2c.application.update', fault: { kind: 'status', status: 503, retryAfter: '3600' }, remaining: 1 });
    await k.advance(111 * MIN);
    expect(k.record(record.id)).toMatchObject({ status: 'retrying', pushPending: true });
    sandbox.control.clearRequestLog();
    await k.sleep(5 * HOUR);
    await k.advance(2 * MIN);
    expect(routes().slice(0, 2)).toEqual(['sf.token 200', 'd2c.application.update 200']);
    const pushed = sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token'];
    expect(sandbox.state.liveAccessToken(pushed)).not.toBeNull();
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
  });
});

describe('keep-alive: an unlock after a sleep whose resume was missed', () => {
  it('checks overdue connections at once instead of waiting to tell sleep from a clock change', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, settingsFor(2 * HOUR));
    k.keepAlive.start();
    await k.advance(10 * MIN);
    expect(k.record(record.id).status).toBe('healthy');
    sandbox.control.clearRequestLog();
    // Suspended for 5 h; powerMonitor's resume never came, then the user unlocks the screen.
    k.clock.sleep(5 * HOUR);
    k.sync();
    k.keepAlive.replan();
    await k.advance(3_000);
    expect(routes()[0]).toBe('sf.token 200');
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
  });
});

/** A small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('keep-alive: the storm guard (property style)', () => {
  // A simulated week each, with 2-h and 15-min sessions.
  for (const [seed, session, days] of [[7, 2 * HOUR, 7], [1234, 15 * MIN, 7]] as const) {
    it(`random offsets, jumps and sleeps over ${days} simulated days never put two successful refreshes closer than min(lifetime / 2, 10 min) (${session / MIN}-min sessions, seed ${seed})`, async () => {
      const random = prng(seed);
      sandbox.control.setSessionLifetime(session);
      const offset = Math.round((random() - 0.5) * 4 * HOUR);
      sandbox.control.setServerClockSkew(offset);
      const record = await connectExternal();
      k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: session, skewMs: 5 * MIN, verifyIntervalMs: HOUR });
      sandbox.control.setServerClockSkew(offset);
      sandbox.control.clearRequestLog();
      k.keepAlive.start();
      const start = k.clock.real();
      while (k.clock.real() - start < days * 24 * HOUR) {
        const r = random();
        if (r < 0.1) k.clock.jumpWall(Math.round((random() - 0.5) * 2 * 24 * HOUR));
        else if (r < 0.2) await k.sleep(Math.round(random() * 10 * HOUR));
        // Events are at least a minute apart: a jump straight into a suspend looks like sleep.
        await k.advance(MIN + Math.round(random() * 3 * HOUR));
      }
      const gap = Math.min(session / 2, 10 * MIN);
      let last: number | null = null;
      for (const entry of log()) {
        if (entry.status === 401) last = null; // a rejected token may be refreshed at once
        if (entry.route !== 'sf.token' || entry.status !== 200) continue;
        if (last !== null) expect(entry.at - last).toBeGreaterThanOrEqual(gap);
        last = entry.at;
      }
      expect(log().filter((e) => e.route === 'sf.token').length).toBeGreaterThan(20);
      expect(k.record(record.id).status).toBe('healthy');
    }, 120_000);
  }
});

describe('keep-alive: a refresh the guard holds back', () => {
  it('15-min sessions with a 10-min skew and jitter: about one refresh per lifetime (the margin scales down), never verified again and again at the guard', async () => {
    sandbox.control.setSessionLifetime(15 * MIN);
    const record = await connectExternal();
    // A 10-min margin on a 15-min session would land every refresh on the guard (7.5 min): the margin
    // is at most a tenth of the lifetime, so a refresh is due about 13.5 min after the one before.
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 15 * MIN, skewMs: 10 * MIN, jitterMs: MIN, verifyIntervalMs: HOUR });
    k.keepAlive.start();
    await k.advance(10 * MIN);
    sandbox.control.clearRequestLog();
    await k.advance(2 * HOUR);
    const refreshes = tokenCalls();
    const verifications = log().filter((r) => r.route === 'd2c.application.get').length;
    // About one refresh per lifetime (never fewer: the token must not die); verified only on its hourly interval.
    expect(refreshes).toBeGreaterThanOrEqual(8);
    expect(refreshes).toBeLessThanOrEqual(10);
    expect(verifications).toBeLessThanOrEqual(3);
    expect(h.logger.lines.filter((line) => /sooner than the minimum gap/.test(line.message))).toEqual([]);
    expect(k.record(record.id).status).toBe('healthy');
  }, 60_000);
});

describe('keep-alive: a rejected user key, pushes, failure classes, learned lifetimes', () => {
  it('a rejected user key stops everything but keeps the refresh it completed; one notice opens Account; a working key resumes', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, settingsFor(2 * HOUR));
    k.keepAlive.start();
    await k.advance(61 * MIN);
    sandbox.state.userKeys.delete(SAMPLE_USER_KEY);
    await k.advance(50 * MIN);
    expect(k.keepAlive.serviceKeyRejected()).toBe(true);
    const after = k.record(record.id);
    // The refresh stored in the keychain is recorded, and still owed to Data2CRM.
    expect(after.lastRefreshedAt).toBeGreaterThan(record.lastRefreshedAt ?? 0);
    expect(after.tokenReceivedAt).toBeGreaterThan(record.tokenReceivedAt!);
    expect(after.pushPending).toBe(true);
    expect(k.notices.filter((n) => n.openAccount)).toHaveLength(1);
    sandbox.control.clearRequestLog();
    await k.advance(5 * HOUR);
    // Nothing runs but the half-hourly try of the key (one cheap call, no token used).
    expect(new Set(routes())).toEqual(new Set(['d2c.application.count 401']));
    sandbox.state.userKeys.add(SAMPLE_USER_KEY);
    sandbox.control.clearRequestLog();
    k.keepAlive.userKeyReplaced();
    await k.advance(2 * MIN);
    // The token owed to Data2CRM expired meanwhile: it is refreshed first, never pushed dead.
    expect(routes().slice(0, 2)).toEqual(['sf.token 200', 'd2c.application.update 200']);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
    expect(k.notices.filter((n) => n.openAccount)).toHaveLength(1);
  });

  it('a proxy\'s 403 page on the token endpoint is retried slowly, not "needs re-authorization"', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, settingsFor(2 * HOUR));
    k.keepAlive.start();
    sandbox.control.fault({ route: 'sf.token', fault: proxyForbiddenPage(403), remaining: 2 });
    const states: string[] = [];
    await k.advance(115 * MIN, async () => void states.push(k!.record(record.id).status));
    expect(states).toContain('degraded');
    expect(states).not.toContain('needs-reauthorization');
    expect(k.record(record.id)).toMatchObject({ status: 'healthy' });
  });

  it('an overlong error code and description never break the record; the state says problem and retries', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, settingsFor(2 * HOUR));
    k.keepAlive.start();
    sandbox.control.fault({ route: 'sf.token', fault: longOAuthError(400), remaining: 1 });
    const seen: ConnectionRecord[] = [];
    await k.advance(2 * HOUR, async () => void seen.push(k!.record(record.id)));
    const failed = seen.find((r) => r.status === 'degraded')!;
    expect(failed.statusDetail!.length).toBeLessThanOrEqual(300);
    expect(seen.filter((r) => r.status === 'needs-reauthorization')).toEqual([]);
    expect(h.logger.lines.filter((e) => e.level === 'error')).toEqual([]);
    expect(k.record(record.id).status).toBe('healthy');
  });

  it('a malformed keychain entry with a push pending ends as needs re-authorization with plain words, once', async () => {
    const record = await connectExternal();
    await h.store.set(`connection:${record.id}`, '{"v":1,"accessToken":""}');
    await h.vault.loadAll();
    h.settings.update((s) => ({ ...s, connections: s.connections.map((c) => ({ ...c, pushPending: true })) }));
    k = createKeepAliveHarness(sandbox, h, settingsFor(2 * HOUR));
    k.keepAlive.start();
    await k.advance(2 * HOUR);
    expect(k.record(record.id)).toMatchObject({ status: 'needs-reauthorization', statusDetail: UNREADABLE_SECRETS });
    expect(k.events.filter((e) => e.to === 'needs-reauthorization')).toHaveLength(1);
  });

  it('without a client secret, a 30-min org session is learned from dead tokens and then kept alive', async () => {
    sandbox.control.setSessionLifetime(30 * MIN);
    const record = await connectExternal(false);
    expect(record.learnedLifetimeMs).toBeNull();
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 2 * HOUR, skewMs: 10 * MIN, jitterMs: 0, verifyIntervalMs: HOUR });
    k.keepAlive.start();
    await k.advance(3 * HOUR);
    expect(k.record(record.id).learnedLifetimeMs).toBe(30 * MIN);
    sandbox.control.clearRequestLog();
    const watch = watchPushedTokens(record.applicationKey!);
    await k.advance(3 * HOUR, watch.step);
    expect(routes().filter((r) => r.endsWith(' 401'))).toEqual([]);
    expect(watch.worstMs()).toBe(0);
  });

  it('"Update with new tokens" whose push fails is retried with backoff until Data2CRM takes it (also after a restart)', async () => {
    const record = await connectExternal();
    const fresh = await externalTokens(sandbox);
    sandbox.control.fault({ route: 'd2c.application.update', fault: { kind: 'status', status: 503 }, remaining: 3 });
    const updated = await h.connections.updateWithTokens(record.id, { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken! });
    expect(updated.ok).toBe(false);
    // A restart: a new keep-alive over the same settings file finds the pending push.
    k = createKeepAliveHarness(sandbox, h, settingsFor(2 * HOUR));
    expect(k.record(record.id)).toMatchObject({ status: 'retrying', pushPending: true });
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    await k.advance(5 * MIN);
    expect(routes().filter((r) => r.startsWith('d2c.application.update'))).toEqual(['d2c.application.update 503', 'd2c.application.update 503', 'd2c.application.update 200']);
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token']).toBe(fresh.accessToken);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
  });

  it('internal mode with a push pending pushes the stored tokens instead of signing in again', async () => {
    const connected = await h.connections.connectInternal({ label: 'Acme', crmType: 'Salesforce' });
    if (!connected.ok) throw new Error(connected.error.message);
    const record = connected.value;
    h.settings.update((s) => ({ ...s, connections: s.connections.map((c) => ({ ...c, pushPending: true, status: 'needs-reauthorization' as const })) }));
    sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token'] = 'stale-token-value';
    k = createKeepAliveHarness(sandbox, h, { internalIntervalMs: 15 * MIN });
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    await k.advance(2 * MIN);
    expect(routes()).toEqual(['d2c.application.update 200']);
    expect(h.authBrowser.opened).toHaveLength(1);
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token']).toBe(h.vault.secretsOf(record.id)!.accessToken);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
  });

  it('"Register again" with a token known to be expired refreshes first and registers the fresh token', async () => {
    const record = await connectExternal();
    sandbox.state.applications.delete(record.applicationKey!);
    sandbox.control.expireAccessTokens();
    h.settings.update((s) => ({ ...s, connections: s.connections.map((c) => ({ ...c, status: 'application-deleted' as const, tokenReceivedAt: Date.now() - 3 * HOUR })) }));
    sandbox.control.clearRequestLog();
    const again = await h.connections.registerAgain(record.id);
    if (!again.ok) throw new Error(again.error.message);
    expect(routes()).toEqual(['sf.token 200', 'd2c.application.create 201']);
    const registered = sandbox.state.applications.get(again.value.applicationKey!)!;
    expect(sandbox.state.liveAccessToken(registered.credentials['access_token'])).not.toBeNull();
    expect(h.vault.secretsOf(record.id)!.accessToken).toBe(registered.credentials['access_token']);
  });
});
