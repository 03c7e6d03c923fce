/**
 * Secrets load in the background at startup, through the whole core (composeCore) over the real
 * keychain behind a fault-injecting store, against the sandbox: the core is up and every
 * connection scheduled while the keychain's listing hangs; a check that comes before the secrets
 * waits for them (never "missing secrets"); a listing that fails shows the keychain problem.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';
import { SAMPLE_CLIENT, type Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import type { FaultySecretStore } from '../support/faulty-secret-store.js';
import { composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const HOUR = 3_600_000;
let sandbox: Sandbox;
let h: ConnectHarness;
let faults: FaultySecretStore;
let core: Core | undefined;

harnessPerTest(
  (parts) => {
    ({ sandbox, h } = parts);
    faults = parts.faults!;
    core = undefined;
  },
  { faults: 'release', beforeCleanup: () => core?.keepAlive.stop() },
);

/** An own-app connection whose token is long expired: its next check must refresh with the stored refresh token. */
async function expiredExternal(): Promise<ConnectionRecord> {
  const result = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
  if (!result.ok) throw new Error(result.error.message);
  const old = Date.now() - 3 * HOUR;
  h.settings.update((s) => ({ ...s, connections: s.connections.map((c) => (c.id === result.value.id ? { ...c, tokenIssuedAt: old, tokenReceivedAt: old, lastVerifiedAt: old, lastRefreshedAt: null } : c)) }));
  return result.value;
}

const recordOf = (id: string) => core!.settings.get().connections.find((c) => c.id === id)!;
const tokenCalls = () => sandbox.control.requestLog().filter((r) => r.route.includes('token')).length;

describe('secrets load in the background at startup', () => {
  it('the core is up and the connection scheduled while the listing hangs; its check waits, then refreshes with the loaded secrets', async () => {
    const a = await expiredExternal();
    const tokenCallsBefore = tokenCalls();
    faults.inject('findAll', { kind: 'hang' }, { times: 1 });
    core = await composeOverHarness(h, faults.store, { secretStoreTimeoutMs: 120_000 });
    core.keepAlive.start();

    // Up before the keychain answered: scheduled from state, and the tray says what it waits for.
    expect(core.vault.isLoading()).toBe(true);
    expect(core.keepAlive.nextRunAt(a.id)).not.toBeNull();
    expect(core.app.snapshot()).toMatchObject({ status: 'busy', summary: '1 connection · reading the keychain…' });

    // The overdue run starts (staggered) and waits for the secrets instead of finding none.
    const manual = core.keepAlive.refreshNow(a.id);
    await vi.waitFor(() => expect(core!.keepAlive.scheduler.stats().runs).toBeGreaterThanOrEqual(1));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(recordOf(a.id)).toMatchObject({ status: 'healthy', lastRefreshedAt: null });
    expect(tokenCalls()).toBe(tokenCallsBefore);

    faults.release();
    expect(await core.secretsLoaded).toBe(true);
    await manual;
    await core.keepAlive.whenIdle();
    expect(recordOf(a.id)).toMatchObject({ status: 'healthy', statusDetail: null, pushPending: false });
    expect(recordOf(a.id).lastRefreshedAt).not.toBeNull();
    expect(tokenCalls()).toBeGreaterThan(tokenCallsBefore);
    expect(core.app.snapshot()).toMatchObject({ status: 'ok', summary: '1 connection · all healthy' });
  }, 90_000);

  it('a listing that fails leaves the keychain problem showing (never "missing secrets"), and the check works once the keychain lists again', async () => {
    const a = await expiredExternal();
    // The startup listing and the check's own retry both fail.
    faults.inject('findAll', { kind: 'reject' }, { times: 2 });
    core = await composeOverHarness(h, faults.store);
    core.keepAlive.start();
    expect(await core.secretsLoaded).toBe(false);
    expect(core.app.snapshot()).toMatchObject({ status: 'attention', summary: '1 connection · storage degraded (the keychain could not be read)' });
    expect(h.logger.lines.some((e) => e.level === 'warn' && e.message.includes('could not list'))).toBe(true);

    await core.keepAlive.refreshNow(a.id);
    expect(recordOf(a.id)).toMatchObject({ status: 'degraded' });
    expect(recordOf(a.id).statusDetail).toMatch(/The keychain could not be read .*retrying/);

    await core.keepAlive.refreshNow(a.id);
    expect(recordOf(a.id)).toMatchObject({ status: 'healthy', statusDetail: null });
    expect(recordOf(a.id).lastRefreshedAt).not.toBeNull();
    expect(core.vault.loadProblem()).toBeNull();
  }, 90_000);
});
