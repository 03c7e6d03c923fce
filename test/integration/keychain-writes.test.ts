/**
 * The keychain is written only when a long-lived secret changes (gnome-keyring rewrites its whole
 * file per write): real keychain, sandbox over HTTP, hours on a fake clock.
 */
import type { Browser } from '@playwright/test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../main/core/ports.js';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';
import { SAMPLE_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { launchChromium } from '../support/chromium.js';
import { createConnectHarness, type ConnectHarness } from '../support/connect-harness.js';
import { createKeepAliveHarness } from '../support/keep-alive-harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let sandbox: Sandbox;
let browser: Browser;
let h: ConnectHarness;
let k: ReturnType<typeof createKeepAliveHarness>;
let writes: string[];

/** The real keychain, with every write recorded. */
const counting = (store: SecretStore): SecretStore => ({
  ...store,
  findAll: () => store.findAll(),
  get: (account) => store.get(account),
  delete: (account) => store.delete(account),
  set: (account, secret) => (writes.push(account), store.set(account, secret)),
});

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());
beforeEach(async () => {
  writes = [];
  sandbox = await startSandbox();
  h = await createConnectHarness(sandbox, browser, { wrapStore: counting });
  sandbox.control.setSessionLifetime(30 * MIN);
});
afterEach(async () => {
  k?.keepAlive.stop();
  await h.cleanup();
  await sandbox.close();
});

async function connectExternal(): Promise<ConnectionRecord> {
  const result = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const tokenRefreshes = () => sandbox.control.requestLog().filter((r) => r.route === 'sf.token' && r.status === 200).length;
const stored = async (id: string) => JSON.parse((await h.store.get(`connection:${id}`))!) as { accessToken: string; refreshToken: string };

describe('keychain writes', () => {
  it('plain refreshes write nothing: the new access token lives in memory and at Data2CRM', async () => {
    const record = await connectExternal();
    const before = await stored(record.id);
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 30 * MIN, skewMs: 5 * MIN });
    writes = [];
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    await k.advance(3 * HOUR);
    expect(tokenRefreshes()).toBeGreaterThanOrEqual(5);
    expect(writes).toEqual([]);
    const live = h.vault.secretsOf(record.id)!;
    expect(live.accessToken).not.toBe(before.accessToken);
    expect(sandbox.state.applications.get(record.applicationKey!)!.credentials['access_token']).toBe(live.accessToken);
    expect(await stored(record.id)).toEqual(expect.objectContaining({ refreshToken: before.refreshToken }));
  });

  it('a rotated refresh token is written once per rotation', async () => {
    sandbox.control.setRotation(true);
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 30 * MIN, skewMs: 5 * MIN });
    writes = [];
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    await k.advance(3 * HOUR);
    expect(writes).toHaveLength(tokenRefreshes());
    expect((await stored(record.id)).refreshToken).toBe(h.vault.secretsOf(record.id)!.refreshToken);
  });

  it('while Data2CRM has not taken a new access token it is written once, so a restart retries the push with it', async () => {
    const record = await connectExternal();
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 30 * MIN, skewMs: 10 * MIN });
    // Every push fails meanwhile: the token is written once, not again on each retried push.
    sandbox.control.fault({ route: 'd2c.application.update', fault: { kind: 'status', status: 502 }, remaining: 1000 });
    writes = [];
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    // The refresh comes 3 min (a tenth of the 30-min lifetime) before the expiry.
    await k.advance(28 * MIN);
    expect(k.record(record.id)).toMatchObject({ pushPending: true });
    expect(tokenRefreshes()).toBe(1);
    expect(writes).toEqual([`connection:${record.id}`]);
    k.keepAlive.stop();
    const restarted = await h.restart();
    expect(restarted.vault.secretsOf(record.id)!.accessToken).toBe(h.vault.secretsOf(record.id)!.accessToken);
  });
});
