/**
 * The keeper's operator endpoints, scraped from outside as Prometheus and a probe would: /metrics
 * parsed as the text format (a check caught in flight counted as running), /healthz saying unhealthy while the state database is held by
 * another program or the secrets folder cannot be written, and healthy again after.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { startCli } from '../support/command-line.js';
import { addExternal, keeperFolder, type KeeperFolder } from '../support/keeper-seed.js';
import { startKeeper, stopKeeper, type KeeperProcess } from '../support/keeper-process.js';
import { parsePrometheusText, scrape } from '../support/prometheus-text.js';

let dir: string;
let sandbox: Sandbox;
let folder: KeeperFolder;
let keeper: KeeperProcess;
let port: number;
/** The keeper's local API, for `data2crm-tray --keeper`. */
let socket: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-keeper-health-'));
  sandbox = await startSandbox();
  folder = await keeperFolder(dir, sandbox);
  await addExternal(folder, sandbox, 'Production');
  keeper = await startKeeper(folder.args('--metrics-port', '0'));
  port = await keeper.metricsPort();
  socket = (await keeper.waitForLine((l) => l.msg === 'local-api: listening', 'the keeper serves its local API'))['path'] as string;
}, 60_000);
afterAll(async () => {
  await stopKeeper(keeper);
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const health = async () => {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: { stateStore: string; secretStore: string } } };
};

/** Another program holding the state database's write lock (as sqlite3 or a backup tool might). */
async function holdStateLock(): Promise<() => void> {
  const holder = spawn(process.execPath, ['-e', `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(join(folder.data, 'state.db'))}); db.exec('BEGIN EXCLUSIVE'); console.log('locked'); setInterval(() => {}, 1e9);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve()));
  return () => holder.kill('SIGKILL');
}

describe('/metrics and /healthz', () => {
  it('/metrics is the Prometheus text format with stable data2crm_keeper_* names and a type for each', async () => {
    const metrics = await scrape(port);
    expect(metrics.contentType).toContain('text/plain; version=0.0.4');
    expect([...metrics.types]).toEqual([
      ['data2crm_keeper_info', 'gauge'],
      ['data2crm_keeper_connections', 'gauge'],
      ['data2crm_keeper_refreshes_total', 'counter'],
      ['data2crm_keeper_failures_total', 'counter'],
      ['data2crm_keeper_next_due_lag_seconds', 'gauge'],
      ['data2crm_keeper_checks_running', 'gauge'],
    ]);
    expect(metrics.value('data2crm_keeper_connections', { state: 'healthy' })).toBe(1);
    expect(metrics.value('data2crm_keeper_connections', { state: 'needs-reauthorization' })).toBe(0);
    expect(metrics.samples.find((s) => s.name === 'data2crm_keeper_info')?.labels).toMatchObject({ secret_store: 'encrypted-file' });
    expect(metrics.value('data2crm_keeper_next_due_lag_seconds')).toBe(0);
    expect(() => parsePrometheusText('not a metric line')).toThrow();
  });

  it('counts a check while it runs: data2crm_keeper_checks_running is 1 during a refresh held at the token endpoint, 0 after', async () => {
    expect((await scrape(port)).value('data2crm_keeper_checks_running')).toBe(0);
    const before = (await scrape(port)).value('data2crm_keeper_refreshes_total')!;
    sandbox.control.clearRequestLog();
    // The token endpoint answers late: the refresh asked for on the command line is caught in flight.
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'delay', ms: 10_000 }, remaining: 1 });
    const refresh = startCli(['--keeper', socket, 'refresh', 'Production']);
    const tokenCalls = () => sandbox.control.requestLog().filter((r) => r.route === 'sf.token');
    await expect.poll(() => tokenCalls().length, { timeout: 30_000, message: 'the refresh reaches the token endpoint' }).toBe(1);
    expect(tokenCalls()[0]!.status, 'still held by the delay').toBeUndefined();
    expect((await scrape(port)).value('data2crm_keeper_checks_running')).toBe(1);
    expect(await refresh.ended, refresh.stderr()).toBe(0);
    expect(tokenCalls()[0]!.status).toBe(200);
    const after = await scrape(port);
    expect(after.value('data2crm_keeper_checks_running')).toBe(0);
    expect(after.value('data2crm_keeper_refreshes_total')).toBe(before + 1);
  }, 60_000);

  it('is healthy while the stores work', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', checks: { stateStore: 'ok', secretStore: 'ok' } } });
  });

  it('is unhealthy while another program holds the state database, and healthy again when it lets go', async () => {
    const release = await holdStateLock();
    try {
      await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe(503);
      const { body } = await health();
      expect(body.status).toBe('unhealthy');
      expect(body.checks.stateStore).toMatch(/state database cannot take a write: .*locked/);
      expect(body.checks.secretStore).toBe('ok');
    } finally {
      release();
    }
    await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe(200);
  });

  it('is unhealthy while the secrets folder cannot be written, and healthy again once it is back', async () => {
    const secrets = join(folder.data, 'secrets');
    renameSync(secrets, `${secrets}.away`);
    writeFileSync(secrets, 'a file where the folder was');
    try {
      await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe(503);
      const { body } = await health();
      expect(body.checks.secretStore).toMatch(/^the secret store cannot keep a secret: /);
      expect(body.checks.stateStore).toBe('ok');
    } finally {
      rmSync(secrets);
      renameSync(`${secrets}.away`, secrets);
    }
    await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe(200);
  });

  it('listens on loopback only, answers GET only, and nothing else there', async () => {
    const other = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (other) await expect(fetch(`http://${other}:${port}/healthz`)).rejects.toThrow();
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  });
});
