/**
 * A user key Data2CRM rejected, then accepts again (#25 item 4), through the whole core (composeCore
 * over the real keychain, the real state database and the sandbox) on a fake clock the sandbox
 * follows: the user's "Refresh now" tries once and, getting through, clears the state everywhere;
 * without the user, keep-alive asks again with one cheap call every KEY_PROBE_MS.
 */
import { expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import { KEY_PROBE_MS } from '../../main/core/keepalive/key-probe.js';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, type Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import { createFakeClock, type FakeClock } from '../support/fake-clock.js';
import { advanceCore, composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let sandbox: Sandbox;
let h: ConnectHarness;
let core: Core | undefined;
harnessPerTest(
  (parts) => {
    ({ sandbox, h } = parts);
    core = undefined;
  },
  { beforeCleanup: () => core?.keepAlive.stop() },
);

async function start() {
  const connected = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
  if (!connected.ok) throw new Error(connected.error.message);
  const clock = createFakeClock(Date.now());
  const notices: Notice[] = [];
  core = await composeOverHarness(h, h.store, { clock, notify: (notice) => notices.push(notice) });
  await core.secretsLoaded;
  core.keepAlive.start();
  return { id: connected.value.id, clock, notices, core };
}

const advance = (clock: FakeClock, c: Core, ms: number) => advanceCore(c, clock, sandbox, ms);

const routes = () => sandbox.control.requestLog().map((r) => r.route);
const header = (c: Core) => c.app.snapshot();

it('the key accepted again on Data2CRM only: Refresh now says "Refreshed…", no header problem, keep-alive runs again', async () => {
  const { id, clock, notices, core: c } = await start();
  sandbox.state.userKeys.delete(SAMPLE_USER_KEY);
  expect(await c.app.refreshNow(id)).toMatchObject({ ok: false, message: expect.stringMatching(/still rejects the user key/) });
  expect(header(c)).toMatchObject({ status: 'key-rejected', serviceKeyRejected: true });
  expect(notices.filter((n) => n.openAccount)).toHaveLength(1);
  // Rejected, the key is tried again only with one cheap call every half hour: nothing else runs.
  sandbox.control.clearRequestLog();
  await advance(clock, c, 3 * HOUR);
  expect(new Set(routes())).toEqual(new Set(['d2c.application.count']));
  expect(routes().length).toBe(3 * HOUR / KEY_PROBE_MS);

  // Data2CRM takes the same key again; the app is told nothing (no Save key, no Test key).
  sandbox.state.userKeys.add(SAMPLE_USER_KEY);
  const again = await c.app.refreshNow(id);
  expect(again).toMatchObject({ ok: true, message: expect.stringMatching(/^Refreshed and verified/) });
  expect(c.keepAlive.serviceKeyRejected()).toBe(false);
  expect(header(c)).toMatchObject({ status: 'ok', serviceKeyRejected: false });
  expect(c.settings.connection(id)).toMatchObject({ status: 'healthy', pushPending: false });
  // Keep-alive plans the connection again and refreshes it before its token ends (2 h sessions).
  expect(c.keepAlive.nextRunAt(id)).not.toBeNull();
  sandbox.control.clearRequestLog();
  await advance(clock, c, 3 * HOUR);
  expect(routes().filter((r) => r === 'sf.token').length).toBeGreaterThanOrEqual(1);
  expect(routes()).not.toContain('d2c.application.count');
  expect(notices.filter((n) => n.openAccount)).toHaveLength(1);
});

it('without the user, keep-alive notices a key accepted again at its next half-hourly try, and resumes', async () => {
  const { id, clock, notices, core: c } = await start();
  sandbox.state.userKeys.delete(SAMPLE_USER_KEY);
  await c.app.refreshNow(id);
  expect(c.keepAlive.serviceKeyRejected()).toBe(true);
  await advance(clock, c, KEY_PROBE_MS + MIN);
  expect(c.keepAlive.serviceKeyRejected()).toBe(true);
  sandbox.state.userKeys.add(SAMPLE_USER_KEY);
  await advance(clock, c, KEY_PROBE_MS);
  expect(c.keepAlive.serviceKeyRejected()).toBe(false);
  expect(header(c)).toMatchObject({ serviceKeyRejected: false });
  sandbox.control.clearRequestLog();
  await advance(clock, c, 3 * HOUR);
  expect(routes()).toContain('sf.token');
  expect(c.settings.connection(id)).toMatchObject({ status: 'healthy' });
  expect(notices.filter((n) => n.openAccount)).toHaveLength(1);
});
