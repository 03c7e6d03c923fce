/**
 * No token lost, no crash: a keychain that refuses, hangs or returns damaged entries, through the
 * whole core (keep-alive, connection service, compose) against the sandbox, with the real
 * keychain underneath a fault-injecting SecretStore port.
 */
import type { Browser } from '@playwright/test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SecretStore } from '../../main/core/ports.js';
import { boundedSecretStore } from '../../main/core/secrets/bounded-secret-store.js';
import { PUSH_WAITS_FOR_KEYCHAIN, UNREADABLE_SECRETS, UNSAVED_SECRETS } from '../../main/core/secrets/storage-messages.js';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';
import { SAMPLE_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { launchChromium } from '../support/chromium.js';
import { createConnectHarness, type ConnectHarness } from '../support/connect-harness.js';
import { faultySecretStore, type FaultySecretStore } from '../support/faulty-secret-store.js';
import { composeOverHarness } from '../support/harness-core.js';
import { createKeepAliveHarness } from '../support/keep-alive-harness.js';
import { externalTokens } from '../support/sandbox-tokens.js';

const MIN = 60_000;
let sandbox: Sandbox;
let browser: Browser;
let h: ConnectHarness;
let k: ReturnType<typeof createKeepAliveHarness> | undefined;
let faults: FaultySecretStore;
let raw: SecretStore;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());
beforeEach(async () => {
  sandbox = await startSandbox();
  k = undefined;
});
afterEach(async () => {
  k?.keepAlive.stop();
  faults.clear();
  faults.release();
  await faults.settled();
  await h.cleanup();
  await sandbox.close();
});

/** The core's deadline on keychain calls, read at each call (a test may shorten it after connecting). */
let deadlineMs = 30_000;

/** The harness over the real keychain, behind the fault switchboard and the core's deadline. */
async function setup() {
  deadlineMs = 30_000;
  h = await createConnectHarness(sandbox, browser, {
    wrapStore: (store) => {
      raw = store;
      faults = faultySecretStore(store);
      const bounded = () => boundedSecretStore(faults.store, deadlineMs);
      return { kind: store.kind, get: (a) => bounded().get(a), set: (a, s) => bounded().set(a, s), delete: (a) => bounded().delete(a), findAll: () => bounded().findAll() };
    },
  });
}

async function connectExternal(label = 'Own app'): Promise<ConnectionRecord> {
  const result = await h.connections.connectExternal({ label, crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const keychainRefreshToken = async (id: string) => {
  const stored = await raw.get(`connection:${id}`);
  return stored === null ? null : (JSON.parse(stored) as { refreshToken?: string }).refreshToken;
};
const routes = () => sandbox.control.requestLog().map((r) => `${r.route} ${r.status}`);
const liveRefreshTokens = () => [...sandbox.state.refreshTokens.entries()].filter(([, r]) => !r.revoked).map(([t]) => t);

describe('1. a rotated refresh token survives a failed keychain write', () => {
  it('keeps the new pair in memory, uses only it, retries the write with backoff, and pushes the new access token only once the pair is stored; the state says why the push waits', async () => {
    sandbox.control.setRotation(true);
    await setup();
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { backoffBaseMs: 1_000, backoffCapMs: 5 * MIN });
    const before = h.vault.secretsOf(record.id)!.refreshToken!;
    const pushedAtConnect = sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token'];
    faults.inject('set', { kind: 'reject' }, { times: 2 });
    sandbox.control.clearRequestLog();
    // Whenever Data2CRM holds the newest access token, the keychain holds the refresh token of its pair.
    const pushedOnlyStoredPairs = async () => {
      const pushed = sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token'];
      if (pushed === h.vault.secretsOf(record.id)!.accessToken) expect(await keychainRefreshToken(record.id)).toBe(h.vault.secretsOf(record.id)!.refreshToken);
    };

    await k.keepAlive.refreshNow(record.id);
    const rotated = h.vault.secretsOf(record.id)!.refreshToken!;
    expect(rotated).not.toBe(before);
    expect(sandbox.state.liveRefreshToken(before)).toBeNull();
    expect(await keychainRefreshToken(record.id)).toBe(before);
    // The write failed: the new access token waits, and the state says why.
    expect(k.record(record.id)).toMatchObject({ status: 'degraded', statusDetail: PUSH_WAITS_FOR_KEYCHAIN, pushPending: true });
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token']).toBe(pushedAtConnect);
    expect(routes().filter((r) => r.startsWith('d2c.application.update'))).toEqual([]);
    await pushedOnlyStoredPairs();

    await k.advance(30 * MIN, pushedOnlyStoredPairs);
    expect(await keychainRefreshToken(record.id)).toBe(rotated);
    expect(h.vault.isUnsaved(record.id)).toBe(false);
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token']).toBe(h.vault.secretsOf(record.id)!.accessToken);
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', statusDetail: null, pushPending: false });
    // Trouble that passed within seconds tells nobody (the tray and windows showed it meanwhile).
    expect(k.notices).toEqual([]);
    // The rotated-out token was never sent again: no refresh was refused.
    expect(routes().filter((r) => r.startsWith('sf.token') && !r.endsWith(' 200'))).toEqual([]);
    expect(sandbox.state.liveRefreshToken(rotated)).not.toBeNull();
  }, 60_000);

  it('a re-authorization whose keychain write fails keeps the new sign-in in use and says so', async () => {
    await setup();
    const record = await connectExternal();
    faults.inject('set', { kind: 'reject' }, { times: 1 });
    const result = await h.connections.reauthorize(record.id);
    expect(result).toMatchObject({ ok: false, error: { kind: 'storage-failed', message: UNSAVED_SECRETS } });
    const fresh = h.vault.secretsOf(record.id)!;
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token']).toBe(fresh.accessToken);
    expect(await h.vault.flush(record.id)).toBe(true);
    expect(await keychainRefreshToken(record.id)).toBe(fresh.refreshToken);
  }, 60_000);
});

describe('2. every keychain call is bounded', () => {
  it('a keychain that stops answering ends the run as a storage problem, frees the slot, and "Refresh now" does not join a hung run', async () => {
    sandbox.control.setRotation(true);
    await setup();
    // Connected with the usual deadline (a loaded machine's keychain may take longer than 300 ms), then shortened.
    const record = await connectExternal();
    deadlineMs = 300;
    k = createKeepAliveHarness(sandbox, h, { concurrency: 1, backoffBaseMs: 1_000 });
    faults.inject('set', { kind: 'hang' });
    await k.keepAlive.refreshNow(record.id);
    expect(k.keepAlive.scheduler.inFlightCount()).toBe(0);
    // The rotated pair is not saved: its access token waits for Data2CRM, and the state says so.
    expect(k.record(record.id)).toMatchObject({ status: 'degraded', statusDetail: PUSH_WAITS_FOR_KEYCHAIN, pushPending: true });
    // A second manual refresh runs on its own (the write is retried first and times out again).
    await k.keepAlive.refreshNow(record.id);
    expect(k.keepAlive.scheduler.inFlightCount()).toBe(0);
    expect(faults.calls.filter((c) => c.method === 'set' && c.fault === 'hang').length).toBeGreaterThanOrEqual(2);

    faults.clear();
    faults.release();
    await k.advance(30 * MIN);
    expect(k.record(record.id).status).toBe('healthy');
    expect(await keychainRefreshToken(record.id)).toBe(h.vault.secretsOf(record.id)!.refreshToken);
  }, 60_000);
});

describe('3. startup never dies', () => {
  const compose = async () => {
    const core = await composeOverHarness(h, faults.store, { secretStoreTimeoutMs: 2_000 });
    await core.secretsLoaded;
    return core;
  };

  async function connectManual(label: string) {
    const t = await externalTokens(sandbox);
    const result = await h.connections.connectManual({ label, crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  it('a listing that fails after the probe passed is a degraded state with its reason, retried until it works', async () => {
    await setup();
    const a = await connectManual('Alpha');
    faults.inject('findAll', { kind: 'reject' }, { times: 1 });
    const core = await compose();
    expect(core.vault.loadProblem()).toMatch(/could not list/);
    const snapshot = core.app.snapshot();
    expect(snapshot.status).toBe('attention');
    expect(snapshot.summary).toContain('storage degraded');
    expect(snapshot.storage.detail).toMatch(/The keychain could not be read .*retrying/);
    expect(snapshot.connections[0]).toMatchObject({ status: 'healthy' });
    await core.keepAlive.refreshNow(a.id);
    expect(core.vault.loadProblem()).toBeNull();
    expect(core.settings.get().connections[0]).toMatchObject({ status: 'healthy' });
    expect(core.vault.secretsOf(a.id)).not.toBeNull();
    core.keepAlive.stop();
  }, 60_000);

  it('a hanging listing does not hang startup', async () => {
    await setup();
    await connectManual('Alpha');
    faults.inject('findAll', { kind: 'hang' }, { times: 1 });
    const core = await compose();
    expect(core.vault.loadProblem()).toMatch(/no answer within 2 s/);
    core.keepAlive.stop();
  }, 60_000);

  it('one damaged entry affects only its own connection; the others load and run', async () => {
    await setup();
    const a = await connectManual('Alpha');
    const b = await connectManual('Beta');
    faults.inject('findAll', { kind: 'corrupt' }, { times: 1, account: (acc) => acc === `connection:${a.id}` });
    const core = await compose();
    expect(core.vault.loadProblem()).toBeNull();
    expect(core.vault.isUnreadable(a.id)).toBe(true);
    expect(core.vault.secretsOf(b.id)).not.toBeNull();
    await core.keepAlive.refreshNow(a.id);
    await core.keepAlive.refreshNow(b.id);
    const byId = (id: string) => core.settings.get().connections.find((c) => c.id === id)!;
    expect(byId(a.id)).toMatchObject({ status: 'needs-reauthorization', statusDetail: UNREADABLE_SECRETS });
    expect(byId(b.id)).toMatchObject({ status: 'healthy' });
    core.keepAlive.stop();
  }, 60_000);
});

describe('4. user actions and keep-alive on one connection never overlap', () => {
  it('disconnect during a rotating refresh waits for it, then revokes the newest token: no entry, no record, no live token', async () => {
    sandbox.control.setRotation(true);
    await setup();
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h);
    faults.inject('set', { kind: 'hang' }, { times: 1 });
    const refreshing = k.keepAlive.refreshNow(record.id);
    await vi.waitFor(() => expect(faults.calls.some((c) => c.method === 'set' && c.fault === 'hang')).toBe(true));
    k.keepAlive.forget(record.id);
    const disconnecting = h.connections.disconnect(record.id);
    faults.release();
    await refreshing;
    expect(await disconnecting).toEqual({ ok: true, value: { notRevoked: null } });
    expect(await raw.get(`connection:${record.id}`)).toBeNull();
    expect(h.settings.get().connections).toEqual([]);
    expect(liveRefreshTokens()).toEqual([]);
  }, 60_000);

  it('randomized interleavings of disconnect, re-authorize and refresh on one connection always end with no entry, no record and every refresh token revoked', async () => {
    sandbox.control.setRotation(true);
    await setup();
    k = createKeepAliveHarness(sandbox, h);
    let seed = 20261128;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 6; round++) {
      const record = await connectExternal(`Round ${round}`);
      faults.clear();
      faults.inject('set', { kind: 'slow', ms: () => Math.floor(random() * 40) });
      faults.inject('delete', { kind: 'slow', ms: () => Math.floor(random() * 40) });
      const actions: Array<() => Promise<unknown>> = [
        () => k!.keepAlive.refreshNow(record.id),
        () => k!.keepAlive.refreshNow(record.id),
        () => h.connections.reauthorize(record.id),
        async () => {
          k!.keepAlive.forget(record.id);
          const result = await h.connections.disconnect(record.id);
          expect(result).toEqual({ ok: true, value: { notRevoked: null } });
        },
      ].sort(() => random() - 0.5);
      await Promise.all(actions.map(async (action) => {
        await new Promise((r) => setTimeout(r, Math.floor(random() * 60)));
        await action();
      }));
      await k.keepAlive.whenIdle();
      expect(await raw.get(`connection:${record.id}`), `round ${round}`).toBeNull();
      expect(h.settings.get().connections.find((c) => c.id === record.id), `round ${round}`).toBeUndefined();
      expect(liveRefreshTokens(), `round ${round}: live refresh tokens`).toEqual([]);
    }
  }, 120_000);
});

describe('restart', () => {
  it('tokens written before a simulated crash are the ones used after it', async () => {
    sandbox.control.setRotation(true);
    await setup();
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { backoffBaseMs: 1_000 });
    faults.inject('set', { kind: 'reject' }, { times: 1 });
    await k.keepAlive.refreshNow(record.id);
    await k.advance(10 * MIN);
    const newest = h.vault.secretsOf(record.id)!;
    expect(await keychainRefreshToken(record.id)).toBe(newest.refreshToken);
    k.keepAlive.stop();

    // The crash: memory is gone; a fresh start reads the settings file and the keychain.
    const restarted = await h.restart();
    expect(restarted.vault.secretsOf(record.id)).toEqual(newest);
    sandbox.control.clearRequestLog();
    k = createKeepAliveHarness(sandbox, { ...h, settings: restarted.settings, vault: restarted.vault });
    await k.keepAlive.refreshNow(record.id);
    expect(k.record(record.id).status).toBe('healthy');
    expect(routes()).toContain('sf.token 200');
    expect(routes().filter((r) => r.startsWith('sf.token') && !r.endsWith(' 200'))).toEqual([]);
  }, 60_000);
});
