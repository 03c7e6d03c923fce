/**
 * A session lifetime that shrinks after it was learned (#25 item 5): Salesforce's session settings
 * change from 2 h to 2 min (the sandbox's "Session lifetime"). The whole keep-alive over real HTTP
 * to the sandbox and the real keychain, on a fake clock the sandbox follows.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { estimatedExpiry } from '../../main/core/keepalive/token-lifetime.js';
import { SAMPLE_CLIENT, type Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import { harnessPerTest } from '../support/harness-per-test.js';
import { createKeepAliveHarness } from '../support/keep-alive-harness.js';
import { externalTokens } from '../support/sandbox-tokens.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let sandbox: Sandbox;
let h: ConnectHarness;
let k: ReturnType<typeof createKeepAliveHarness> | undefined;
harnessPerTest((parts) => ({ sandbox, h } = parts), { beforeCleanup: () => k?.keepAlive.stop() });
beforeEach(() => void (k = undefined));
afterEach(() => k?.keepAlive.stop());

const routes = () => sandbox.control.requestLog().map((r) => `${r.route} ${r.status}`);

async function connectWithSecret() {
  const connected = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
  if (!connected.ok) throw new Error(connected.error.message);
  return connected.value;
}

/** How long Data2CRM held a dead access token (sandbox time), checked after every run. */
function watchDeadTokens(applicationKey: string) {
  let worstMs = 0;
  const held = () => sandbox.state.applications.get(applicationKey)!.credentials['access_token']!;
  const deadFor = () => Math.max(0, sandbox.state.now() - sandbox.state.accessTokens.get(held())!.expiresAt);
  return {
    step: async () => void (worstMs = Math.max(worstMs, deadFor())),
    worstMs: () => Math.max(worstMs, deadFor()),
  };
}

it('learned 2 h, then Salesforce\'s lifetime is 2 min: the check after it learns the shorter lifetime, refreshes, and every later refresh comes before the new expiry', async () => {
  const record = await connectWithSecret();
  expect(record.learnedLifetimeMs).toBeGreaterThan(110 * MIN);
  k = createKeepAliveHarness(sandbox, h, { verifyIntervalMs: HOUR, jitterMs: 0 });
  k.keepAlive.start();
  sandbox.control.setSessionLifetime(2 * MIN);
  // The user presses Refresh now: the new token lives 2 min, and the app must not believe 2 h.
  await k.keepAlive.refreshNow(record.id);
  const learned = k.record(record.id).learnedLifetimeMs!;
  expect(learned).toBeLessThanOrEqual(2 * MIN);
  expect(learned).toBeGreaterThan(MIN);
  // The line's "renews by" is before the token's real end, never 57 min away.
  expect(estimatedExpiry(k.record(record.id), k.settings().refresh)! - k.clock.now()).toBeLessThanOrEqual(2 * MIN);

  sandbox.control.clearRequestLog();
  const watch = watchDeadTokens(record.applicationKey!);
  await k.advance(30 * MIN, watch.step);
  expect(watch.worstMs()).toBe(0);
  expect(routes().filter((r) => r.endsWith(' 401'))).toEqual([]);
  // About one refresh per 2-min lifetime, each before the token's end.
  expect(routes().filter((r) => r === 'sf.token 200').length).toBeGreaterThanOrEqual(14);
  expect(k.record(record.id)).toMatchObject({ status: 'healthy' });
});

it('a token that dies before the learned lifetime is found by the scheduled check: the lifetime shrinks and the connection is refreshed', async () => {
  const record = await connectWithSecret();
  k = createKeepAliveHarness(sandbox, h, { verifyIntervalMs: 15 * MIN, jitterMs: 0 });
  k.keepAlive.start();
  sandbox.control.setSessionLifetime(2 * MIN);
  // A token issued under the new settings, behind the app's back (as another refresh would).
  const tokens = await externalTokens(sandbox);
  const fresh = await h.connections.updateWithTokens(record.id, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken! });
  expect(fresh.ok).toBe(true);
  await k.advance(16 * MIN);
  const after = k.record(record.id);
  expect(after.learnedLifetimeMs).toBeLessThanOrEqual(2 * MIN);
  expect(after.status).toBe('healthy');
  const watch = watchDeadTokens(record.applicationKey!);
  sandbox.control.clearRequestLog();
  await k.advance(20 * MIN, watch.step);
  expect(watch.worstMs()).toBe(0);
});
