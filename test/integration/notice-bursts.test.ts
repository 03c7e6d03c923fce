/**
 * One cause, many connections, one notification (#25 item 6): "Revoke all refresh tokens" on the
 * sandbox, then every connection's own scheduled check finds it, minutes apart, through the whole
 * core (composeCore over the real keychain, the real state database and the sandbox) on a fake
 * clock. Exactly one notice in all: the others join it while it is fresh (notification-policy.ts).
 */
import { expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import { SAMPLE_CLIENT, type Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import { createFakeClock } from '../support/fake-clock.js';
import { advanceCore, composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const N = 4;
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

it(`"Revoke all refresh tokens" with ${N} connections checked at different times: one notification in all, every connection needs you`, async () => {
  for (let i = 0; i < N; i++) {
    const connected = await h.connections.connectExternal({ label: `Org ${i}`, crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
    if (!connected.ok) throw new Error(connected.error.message);
  }
  // Verified 0, 12, 24 and 36 min ago: their next checks come 12 min apart, never in one batch.
  const now = Date.now();
  h.settings.update((s) => ({ ...s, connections: s.connections.map((c, i) => ({ ...c, lastVerifiedAt: now - i * 12 * MIN })) }));
  const clock = createFakeClock(now);
  const notices: Notice[] = [];
  core = await composeOverHarness(h, h.store, { clock, notify: (notice) => notices.push(notice) });
  await core.secretsLoaded;
  core.keepAlive.start();

  // The control page's "Revoke all refresh tokens": every grant and its access tokens end.
  for (const token of [...sandbox.state.refreshTokens.keys()]) sandbox.control.revokeRefreshToken(token);
  await advanceCore(core, clock, sandbox, 2 * HOUR);

  expect(core.settings.get().connections.map((c) => c.status)).toEqual(Array(N).fill('needs-reauthorization'));
  expect(notices).toHaveLength(1);
  expect(notices[0]!.title).toMatch(/needs you|need attention/);
});
