/**
 * Refresh round: N external connections due at once, refreshed and pushed by the app's scheduler
 * (token call, keychain write, PUT /application) against a baseline doing exactly the same HTTP
 * calls and keychain writes with plain fetch and keytar at the same concurrency.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, startSandbox } from '../sandbox/server.js';
import { composeForBench } from './core-under-test.js';
import { seedConnections } from './seed.js';
import { pool, repeat, type Figure } from './stats.js';

const EXPIRED = () => Date.now() - 3 * 3600 * 1000;

async function withWorld<T>(n: number, work: (ctx: { sandbox: Awaited<ReturnType<typeof startSandbox>>; dir: string; service: string; seeded: Awaited<ReturnType<typeof seedConnections>> }) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-'));
  const service = `data2crm-tray-bench-${randomUUID()}`;
  try {
    const seeded = await seedConnections(sandbox, n, { store: createKeytarSecretStore(service), settingsPath: join(dir, 'settings.json'), issuedAt: EXPIRED() });
    return await work({ sandbox, dir, service, seeded });
  } finally {
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function appRound(n: number, concurrency: number): Promise<number> {
  return withWorld(n, async ({ dir, service, seeded }) => {
    const core = await composeForBench(dir, createKeytarSecretStore(service));
    core.settings.update((s) => ({ ...s, refresh: { ...s.refresh, concurrency, jitterMs: 0 } }));
    const start = performance.now();
    for (const record of seeded.records) core.keepAlive.scheduler.schedule(record.id, Date.now());
    await new Promise((r) => setTimeout(r, 0));
    await core.keepAlive.whenIdle();
    const elapsed = performance.now() - start;
    core.keepAlive.stop();
    const refreshed = core.settings.get().connections.filter((c) => c.lastRefreshedAt !== null && c.status === 'healthy').length;
    if (refreshed !== n) throw new Error(`app refreshed ${refreshed} of ${n}`);
    return elapsed;
  });
}

async function baselineRound(n: number, concurrency: number): Promise<number> {
  return withWorld(n, async ({ sandbox, service, seeded }) => {
    const secrets = new Map((await keytar.findCredentials(service)).filter((c) => c.account.startsWith('connection:')).map((c) => [c.account, JSON.parse(c.password) as { refreshToken: string }]));
    const start = performance.now();
    await pool(seeded.records, concurrency, async (record) => {
      const refreshToken = secrets.get(`connection:${record.id}`)!.refreshToken;
      const token = await fetch(`${sandbox.urls.salesforceLogin}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: SAMPLE_CLIENT.clientId, client_secret: SAMPLE_CLIENT.clientSecret }),
      });
      const body = (await token.json()) as { access_token: string };
      await keytar.setPassword(service, `connection:${record.id}`, JSON.stringify({ v: 1, accessToken: body.access_token, refreshToken, clientSecret: SAMPLE_CLIENT.clientSecret }));
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

export async function benchRefreshRound(n: number, runs: number, concurrency = 8): Promise<Figure> {
  const app = await repeat(runs, 1, () => appRound(n, concurrency));
  const baseline = await repeat(runs, 1, () => baselineRound(n, concurrency));
  return { name: `Refresh round: ${n} connections, concurrency ${concurrency}`, unit: 'ms', app, baseline, target: 'ratio ≤ 1.15', met: app.median / baseline.median <= 1.15 };
}
