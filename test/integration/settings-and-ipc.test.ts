/**
 * Settings and IPC arguments are input, through the whole core (composeCore over the real
 * keychain, the real state database and the sandbox) behind the real IPC dispatcher: unknown
 * connection ids are refused and never kept, non-plain arguments and oversized strings never reach
 * the core (#22 item 8), and leaving the sandbox for other addresses stops trusting its instance
 * host (#22 item 9).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import { DEFAULT_ENDPOINTS } from '../../main/core/settings/endpoints.js';
import { SETTINGS_VERSION } from '../../main/core/settings/schema.js';
import { createIpcDispatcher, createIpcHandlers } from '../../main/ipc/index.js';
import type { Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import { composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';
import { externalTokens } from '../support/sandbox-tokens.js';

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

const sender = { url: 'app://renderer/index.html#/settings', isMainFrame: true };
const dispatcherOver = (started: Core) => createIpcDispatcher({ handlers: createIpcHandlers({ appInfo: { name: 'Data2CRM Tray', version: '0.1.0' }, app: started.app }), isTrustedSender: () => true, logger: h.logger });

async function pastedConnection(label: string): Promise<string> {
  const t = await externalTokens(sandbox);
  const connected = await h.connections.connectManual({ label, crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken });
  if (!connected.ok) throw new Error(connected.error.message);
  return connected.value.id;
}

it('ids that name no connection are refused and kept nowhere; a Date, Map or Set is no patch; a huge address never reaches the core (#22 item 8)', async () => {
  const id = await pastedConnection('Acme');
  core = await composeOverHarness(h, h.store);
  await core.secretsLoaded;
  const ipc = dispatcherOver(core);
  const strangers = Array.from({ length: 200 }, () => randomUUID());
  for (const stranger of strangers) {
    for (const channel of ['connections:snooze', 'connections:copy-application-key', 'connections:refresh-now', 'connections:rename', 'orphans:delete'] as const) {
      const answer = await ipc.dispatch(channel, sender, channel === 'connections:rename' ? { id: stranger, label: 'X' } : { id: stranger });
      expect(answer, `${channel} ${stranger}`).toMatchObject({ ok: true, value: { ok: false, message: expect.stringMatching(/no longer exists/) } });
    }
  }
  expect(strangers.filter((stranger) => core!.policy.snoozedUntil(stranger) !== null)).toEqual([]);
  expect(await ipc.dispatch('connections:snooze', sender, { id })).toMatchObject({ ok: true, value: { ok: true } });
  expect(core.policy.snoozedUntil(id)).not.toBeNull();

  const before = JSON.stringify(core.settings.get());
  for (const patch of [new Date(), new Map(), new Set(), { general: new Map([['notifications', false]]) }, { endpoints: { data2crmApiBase: `https://${'a'.repeat(10_000_000)}.example/v1` } }]) {
    expect(await ipc.dispatch('settings:update', sender, patch)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  }
  expect(JSON.stringify(core.settings.get())).toBe(before);
}, 60_000);

it('back to the default addresses from the sandbox, its instance host is no longer trusted (#22 item 9)', async () => {
  const id = await pastedConnection('On the sandbox');
  core = await composeOverHarness(h, h.store, { confirmEndpoints: async () => true });
  await core.secretsLoaded;
  const sandboxHost = new URL(sandbox.urls.origin).host;
  // Both loopback names of the sandbox are trusted (its instance may move between them).
  const sandboxHosts = [sandboxHost, sandboxHost.replace('127.0.0.1', 'localhost')];
  expect(await core.app.useLocalSandbox(sandbox.urls.origin)).toMatchObject({ ok: true });
  expect(core.settings.get().extraInstanceHosts).toEqual(sandboxHosts);
  expect(core.app.openInSalesforce(id)).toMatchObject({ ok: true });

  // A change that keeps the sandbox's addresses keeps its host.
  expect(await core.app.updateSettings({ general: { notifications: false } })).toMatchObject({ ok: true });
  expect(core.settings.get().extraInstanceHosts).toEqual(sandboxHosts);
  // Back to the defaults: the host goes with the addresses, and nothing is sent or opened there any more.
  expect(await core.app.updateSettings({ endpoints: { ...DEFAULT_ENDPOINTS } })).toMatchObject({ ok: true });
  expect(core.settings.get().extraInstanceHosts).toEqual([]);
  expect(core.app.openInSalesforce(id)).toMatchObject({ ok: false, message: expect.stringContaining('not a trusted Salesforce address') });
  // A host trusted on its own (not one of the old addresses) stays through an address change.
  core.settings.update((s) => ({ ...s, extraInstanceHosts: ['instances.example.com'] }));
  expect(await core.app.updateSettings({ endpoints: { data2crmApiBase: sandbox.urls.data2crmApi } })).toMatchObject({ ok: true });
  expect(core.settings.get().extraInstanceHosts).toEqual(['instances.example.com']);
}, 60_000);

it('with a settings file a newer version wrote, changing addresses is refused before anyone is asked, and the file is left as it is', async () => {
  const file = JSON.parse(readFileSync(h.settingsPath, 'utf8')) as { version: number };
  const written = JSON.stringify({ ...file, version: SETTINGS_VERSION + 1 });
  writeFileSync(h.settingsPath, written);
  let asked = 0;
  core = await composeOverHarness(h, h.store, {
    confirmEndpoints: async () => {
      asked += 1;
      return true;
    },
  });
  await core.secretsLoaded;
  expect(await core.app.updateSettings({ endpoints: { data2crmApiBase: sandbox.urls.data2crmApi } })).toEqual({ ok: false, message: 'Nothing was saved: the settings file was made by a newer version of Data2CRM Tray; update the app.' });
  expect(await core.app.useLocalSandbox(sandbox.urls.origin)).toMatchObject({ ok: false, message: expect.stringContaining('newer version of Data2CRM Tray') });
  expect(asked).toBe(0);
  expect(readFileSync(h.settingsPath, 'utf8')).toBe(written);
}, 60_000);
