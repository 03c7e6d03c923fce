/**
 * A hand-over left half-way, through the whole core (composeCore over the real keychain, the real
 * state database and the sandbox) on a fake clock: nobody renews the connection, and 15 minutes
 * after the seal the person is told once (one notice), the header counts it as needing you and
 * the tray's row says "needs you"; cancelling gives it back to keep-alive.
 */
import { expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import { buildTrayModel } from '../../main/core/tray-model.js';
import { SAMPLE_CLIENT, type Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import { createFakeClock } from '../support/fake-clock.js';
import { advanceCore, composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const MIN = 60_000;
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

it('a hand-over nobody finishes: told once after 15 min, counted as needing you, shown so in the tray; cancel gives it back', async () => {
  const connected = await h.connections.connectExternal({ label: 'Production', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
  if (!connected.ok) throw new Error(connected.error.message);
  const id = connected.value.id;
  const clock = createFakeClock(Date.now());
  const notices: Notice[] = [];
  core = await composeOverHarness(h, h.store, { clock, notify: (notice) => notices.push(notice) });
  await core.secretsLoaded;
  core.keepAlive.start();
  const sealed = await core.app.beginHandover(id, 'keeper-1');
  expect(sealed.ok).toBe(true);
  const view = () => core!.app.snapshot().connections.find((c) => c.id === id)!;

  await advanceCore(core, clock, sandbox, 14 * MIN);
  expect(notices).toEqual([]);
  expect(view().keptBy).toMatchObject({ keeper: 'keeper-1', pending: true, stalled: false });
  expect(core.app.snapshot().status).not.toBe('error');

  await advanceCore(core, clock, sandbox, 2 * MIN);
  expect(notices).toEqual([expect.objectContaining({ title: 'Production needs you', openDialogFor: id })]);
  expect(notices[0]!.body).toContain('hand-over to keeper-1 has not finished');
  expect(view().keptBy).toMatchObject({ stalled: true });
  expect(core.app.snapshot()).toMatchObject({ status: 'error', summary: expect.stringContaining('1 needs you') });
  const tray = JSON.stringify(buildTrayModel(core.app.trayState({ productName: 'Data2CRM Tray', version: '0.1.0' }, clock.now())));
  expect(tray).toMatch(/⚠ Production — handing over to keeper-1 since [^"]+ · needs you: finish it with its receipt or cancel it/);
  expect(tray).toContain('Finish or cancel the hand-over…');
  // Told once: an hour more, nothing new; nothing renewed it meanwhile.
  await advanceCore(core, clock, sandbox, 60 * MIN);
  expect(notices).toHaveLength(1);
  expect(core.keepAlive.nextRunAt(id)).toBeNull();

  expect(await core.app.cancelHandover(id)).toMatchObject({ ok: true });
  expect(view().keptBy ?? null).toBeNull();
  expect(core.keepAlive.nextRunAt(id)).not.toBeNull();
  expect(core.app.snapshot().status).not.toBe('error');
});
