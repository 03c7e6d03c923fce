/**
 * A real full disk under the state database (a tmpfs filled to its last byte), through the whole
 * core with the real keychain and the sandbox: actions name the cause ("the disk is full", never
 * the settings file), the header says it, one notification however many checks fail, and
 * everything clears once there is room again.
 */
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import type { Sandbox } from '../sandbox/server.js';
import { connectPasted, type ConnectHarness } from '../support/connect-harness.js';
import { composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { storedConnections } from '../support/state-db.js';

let sandbox: Sandbox;
let h: ConnectHarness;
let core: Core | undefined;
let disk: SmallDisk | undefined;

harnessPerTest(
  (parts) => {
    ({ sandbox, h } = parts);
    core = undefined;
  },
  {
    beforeCleanup: () => core?.keepAlive.stop(),
    // Each test's settings file and state database live on a small disk of their own.
    dir: () => (disk = mountSmallDisk()).dir,
    afterCleanup: () => {
      disk?.unmount();
      disk = undefined;
    },
  },
);

const connectAlpha = () => connectPasted(h, sandbox, 'Alpha');

describe('a full disk', () => {
  it('a connect says the disk is full (not the settings file); the header says so; one notice however many checks fail; all clears once there is room', async () => {
    const id = await connectAlpha();
    const notices: Notice[] = [];
    core = await composeOverHarness(h, h.store, { notify: (notice) => notices.push(notice) });
    await core.secretsLoaded;
    disk!.fill();
    const t = await externalTokens(sandbox);
    const connect = await core.app.connect({ mode: 'manual', label: 'Beta', crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken });
    expect(connect).toEqual({ ok: false, message: 'The connection was not kept: the disk is full.' });
    expect(JSON.stringify(connect)).not.toContain('settings file');
    for (let i = 0; i < 3; i++) await core.app.refreshNow(id);
    core.app.flush();
    expect(core.app.snapshot()).toMatchObject({ status: 'error', summary: '1 connection · the disk is full, so changes are not saved; retrying', stateDatabase: { problem: 'full' } });
    await expect.poll(() => notices.length, { timeout: 10_000 }).toBe(1);
    expect(notices[0]).toMatchObject({ title: 'Data2CRM Tray cannot save its state', body: 'The disk is full, so changes are not saved; retrying.', openSettings: true });
    expect(h.logger.lines.filter((l) => l.message.includes('refuses writes'))).toHaveLength(1);
    disk!.free();
    expect(await core.app.connect({ mode: 'manual', label: 'Beta', crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken })).toMatchObject({ ok: true });
    core.app.flush();
    expect(core.app.snapshot().stateDatabase).toBeUndefined();
    expect(storedConnections(h.statePath).map((c) => c['label'])).toEqual(['Alpha', 'Beta']);
    expect(notices).toHaveLength(1);
  }, 90_000);
});
