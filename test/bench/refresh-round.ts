/**
 * Refresh round: N external connections due at once, refreshed and pushed by the app's scheduler
 * (token call, PUT /application), measured twice, app and baseline interleaved:
 * - with the real keychain: against plain fetch + a keytar write per refresh (what the app did
 *   before a plain refresh stopped writing to the keychain), reported;
 * - with an in-memory secret store on both sides, so gnome-keyring hides nothing: against the
 *   bare fetch calls alone, at the same concurrency (target ≤ 1.5×).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';
import type { SecretStore } from '../../main/core/ports.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY } from '../sandbox/server.js';
import { composeForBench } from './core-under-test.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';
import { interleaved, percentile, pool, type Figure } from './stats.js';

type StoreKind = 'keychain' | 'memory';

const EXPIRED = () => Date.now() - 3 * 3600 * 1000;

interface World {
  sandbox: SandboxProcess;
  dir: string;
  service: string;
  store: SecretStore;
  seeded: { records: SandboxProcess['settings']['connections'] };
}

/** A fresh sandbox (a process of its own, so its work is not on the app's side) with N connections whose tokens expired. */
async function withWorld<T>(n: number, kind: StoreKind, work: (ctx: World) => Promise<T>): Promise<T> {
  const sandbox = await startSandboxProcess(n, { issuedAt: EXPIRED() });
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-'));
  const service = `data2crm-tray-bench-${randomUUID()}`;
  const store = kind === 'keychain' ? createKeytarSecretStore(service) : createMemorySecretStore();
  try {
    for (const { account, secret } of sandbox.entries) await store.set(account, secret);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(sandbox.settings));
    return await work({ sandbox, dir, service, store, seeded: { records: sandbox.settings.connections } });
  } finally {
    if (kind === 'keychain') for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function appRound(n: number, concurrency: number, kind: StoreKind): Promise<number> {
  return withWorld(n, kind, async ({ dir, service, store, seeded }) => {
    const core = await composeForBench(dir, kind === 'keychain' ? createKeytarSecretStore(service) : store);
    await core.secretsLoaded;
    core.settings.update((s) => ({ ...s, refresh: { ...s.refresh, concurrency, jitterMs: 0 } }));
    const start = performance.now();
    for (const record of seeded.records) core.keepAlive.scheduler.schedule(record.id, Date.now(), Date.now()); // due now: no jitter
    await new Promise((r) => setTimeout(r, 0));
    await core.keepAlive.whenIdle();
    core.stateStore.commit();
    const elapsed = performance.now() - start;
    core.keepAlive.stop();
    core.stateStore.close();
    const refreshed = core.settings.get().connections.filter((c) => c.lastRefreshedAt !== null && c.status === 'healthy').length;
    if (refreshed !== n) throw new Error(`app refreshed ${refreshed} of ${n}`);
    return elapsed;
  });
}

async function baselineRound(n: number, concurrency: number, kind: StoreKind): Promise<number> {
  return withWorld(n, kind, async ({ sandbox, service, store, seeded }) => {
    const secrets = new Map((await store.findAll()).filter((c) => c.account.startsWith('connection:')).map((c) => [c.account, JSON.parse(c.secret!) as { refreshToken: string }]));
    const start = performance.now();
    await pool(seeded.records, concurrency, async (record) => {
      const refreshToken = secrets.get(`connection:${record.id}`)!.refreshToken;
      const token = await fetch(`${sandbox.urls.salesforceLogin}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: SAMPLE_CLIENT.clientId, client_secret: SAMPLE_CLIENT.clientSecret }),
      });
      const body = (await token.json()) as { access_token: string };
      if (kind === 'keychain') await keytar.setPassword(service, `connection:${record.id}`, JSON.stringify({ v: 1, accessToken: body.access_token, refreshToken, clientSecret: SAMPLE_CLIENT.clientSecret }));
      const put = await fetch(`${sandbox.urls.data2crmApi}/application/${record.applicationKey}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'X-API2CRM-USER-KEY': SAMPLE_USER_KEY },
        body: JSON.stringify({ type: 'Salesforce', description: record.label, authorization: 'oAuth-external-refresh', credential: [{ name: 'instance_url', value: record.instanceUrl }, { name: 'access_token', value: body.access_token }] }),
      });
      if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
      await put.text();
    });
    return performance.now() - start;
  });
}

export async function benchRefreshRound(n: number, runs: number, concurrency = 8): Promise<Figure[]> {
  const keychain = await interleaved(runs, 1, () => appRound(n, concurrency, 'keychain'), () => baselineRound(n, concurrency, 'keychain'));
  const memory = await interleaved(runs, 1, () => appRound(n, concurrency, 'memory'), () => baselineRound(n, concurrency, 'memory'));
  const ratios = memory.pairs.map(([a, b]) => a / b);
  return [
    {
      name: `Refresh round, real keychain: ${n} connections, concurrency ${concurrency}`,
      unit: 'ms',
      app: keychain.app,
      baseline: keychain.baseline,
      target: 'reported',
      met: null,
      note: 'baseline: fetch + a keytar write per refresh, as the app did before; the app now writes nothing to the keychain on a plain refresh',
    },
    {
      name: `Refresh round, in-memory secrets on both sides: ${n} connections, concurrency ${concurrency}`,
      unit: 'ms',
      app: memory.app,
      baseline: memory.baseline,
      target: 'ratio ≤ 1.5 (app vs bare fetch, medians)',
      met: memory.app.median / memory.baseline.median <= 1.5,
      note: `baseline: the token call and the PUT with bare fetch, nothing else; the sandbox in a process of its own; pair by pair (app / the baseline run after it) ${ratios.map((r) => r.toFixed(2)).join(', ')}: p90 pair ${percentile(ratios, 90).toFixed(2)}`,
    },
  ];
}
