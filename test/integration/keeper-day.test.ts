/**
 * The keeper keeps connections alive: the bundle as a child process against the sandbox, its
 * clock moved by the test over IPC (the Clock port, swapped in the bundle: keeper-stepped-clock.ts)
 * while the sandbox's clock follows, so a day passes in seconds. Data2CRM's own view (is the
 * application authorized?) is sampled after every step: no gap, ever.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { addExternal, authorizedInData2crm, keeperFolder, seedInternal, type KeeperFolder } from '../support/keeper-seed.js';
import { startKeeper, stopKeeper, type KeeperProcess } from '../support/keeper-process.js';
import { scrape } from '../support/prometheus-text.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const STEP = 5 * MIN;

let dir: string;
let sandbox: Sandbox;
let folder: KeeperFolder;
const running: KeeperProcess[] = [];
/** The keepers' wall clock, kept across restarts within a test (null: start at the real time). */
let wall: number | null = null;

beforeEach(async () => {
  wall = null;
  dir = mkdtempSync(join(tmpdir(), 'd2c-keeper-day-'));
  sandbox = await startSandbox();
  folder = await keeperFolder(dir, sandbox);
});
afterEach(async () => {
  for (const keeper of running.splice(0)) await stopKeeper(keeper, 'SIGKILL');
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A keeper on the stepped clock; `elapsed` is how far the test has moved it. */
async function steppedKeeper(...extra: string[]) {
  const keeper = await startKeeper(folder.args('--metrics-port', '0', ...extra), { clock: 'stepped', env: wall === null ? {} : { D2C_KEEPER_CLOCK_START: String(wall) } });
  running.push(keeper);
  await keeper.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts');
  const start = await keeper.clockStart();
  sandbox.control.setClockOffset(start - Date.now());
  let elapsed = 0;
  /** One move of at most 5 minutes: the sandbox is set to its end first (never behind the keeper, at most 5 min ahead). */
  const move = (ms: number) => {
    elapsed += ms;
    wall = start + elapsed;
    sandbox.control.setClockOffset(wall - Date.now());
    return keeper.advance(ms);
  };
  return {
    keeper,
    /** Moves the keeper's clock in steps of 5 minutes, each finished before the next. */
    async step(ms: number) {
      for (let left = ms; left > 0; left -= STEP) await move(Math.min(STEP, left));
    },
    /** The same, for a test that does not wait for it (to catch the keeper in the middle of a check, then stop it). */
    async stepWithoutWaiting(ms: number): Promise<'done' | 'exited'> {
      try {
        for (let left = ms; left > 0; left -= STEP) await move(Math.min(STEP, left));
        return 'done';
      } catch {
        return 'exited';
      }
    },
  };
}

const tokenCalls = () => sandbox.control.requestLog().filter((r) => r.route === 'sf.token');

describe('the keeper keeps connections alive', () => {
  it('an external and an internal connection stay authorized in Data2CRM through a simulated day, with rotation, and nothing needs anyone', async () => {
    sandbox.control.setRotation(true);
    const external = await addExternal(folder, sandbox, 'Production');
    const internal = await seedInternal(folder, sandbox, 'Sales');
    const hooks: unknown[] = [];
    const webhook = await captureWebhooks(hooks);
    const { keeper, step } = await steppedKeeper('--webhook', webhook.url);
    sandbox.control.clearRequestLog();
    for (let t = 0; t < 24 * HOUR; t += STEP) {
      await step(STEP);
      expect(await authorizedInData2crm(sandbox, external.applicationKey), `external at ${(t + STEP) / MIN} min`).toBe(true);
      expect(await authorizedInData2crm(sandbox, internal.applicationKey), `internal at ${(t + STEP) / MIN} min`).toBe(true);
    }
    // A 2-hour session refreshed ahead of its end: about twelve times a day, every one accepted.
    const refreshes = tokenCalls();
    expect(refreshes.length).toBeGreaterThanOrEqual(12);
    expect(refreshes.length).toBeLessThanOrEqual(16);
    expect(refreshes.every((r) => r.status === 200)).toBe(true);
    const metrics = await scrape(await keeper.metricsPort());
    expect(metrics.value('data2crm_keeper_connections', { state: 'healthy' })).toBe(2);
    expect(metrics.value('data2crm_keeper_refreshes_total')).toBe(refreshes.length);
    expect(metrics.sum('data2crm_keeper_failures_total')).toBe(0);
    expect(keeper.lines.filter((l) => l['event'] === 'notice')).toEqual([]);
    expect(hooks).toEqual([]);
    expect((await stopKeeper(keeper)).code).toBe(0);
    await webhook.close();
  }, 240_000);

  it('SIGTERM in the middle of a refresh: the refresh finishes (rotated token stored, Data2CRM updated), everything is committed, exit 0; the next start carries on', async () => {
    sandbox.control.setRotation(true);
    const external = await addExternal(folder, sandbox, 'Production');
    const first = await steppedKeeper();
    sandbox.control.clearRequestLog();
    // The token endpoint answers slowly: the refresh is caught in flight.
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'delay', ms: 3_000 }, remaining: 1 });
    const moving = first.stepWithoutWaiting(2 * HOUR);
    await expect.poll(() => tokenCalls().length, { timeout: 30_000, message: 'a refresh reaches the token endpoint' }).toBe(1);
    expect(tokenCalls()[0]!.status).toBeUndefined();
    first.keeper.child.kill('SIGTERM');
    const { code } = await first.keeper.exited;
    await moving;
    expect(code).toBe(0);
    expect(tokenCalls()[0]!.status).toBe(200);
    const log = first.keeper.lines;
    expect(log.find((l) => l.msg.startsWith('stopping: letting the checks in flight finish'))).toMatchObject({ running: 1 });
    expect(log.find((l) => l.msg === 'stopped: everything committed')).toMatchObject({ outcome: 'finished' });
    expect(sandbox.control.requestLog().some((r) => r.route === 'd2c.application.update' && r.status === 200)).toBe(true);
    expect(await authorizedInData2crm(sandbox, external.applicationKey)).toBe(true);
    // The old refresh token died with the rotation: only the stored new one can refresh again.
    const second = await steppedKeeper();
    sandbox.control.clearRequestLog();
    await second.step(2 * HOUR);
    expect(tokenCalls().map((r) => r.status)).toEqual([200]);
    expect(await authorizedInData2crm(sandbox, external.applicationKey)).toBe(true);
    expect((await scrape(await second.keeper.metricsPort())).value('data2crm_keeper_connections', { state: 'healthy' })).toBe(1);
  }, 120_000);

  it('SIGKILL after a rotation, while Data2CRM is being updated: the rotated token was on disk first, the next start renews with it, nothing is lost', async () => {
    sandbox.control.setRotation(true);
    const external = await addExternal(folder, sandbox, 'Production');
    const first = await steppedKeeper();
    sandbox.control.clearRequestLog();
    sandbox.control.fault({ route: 'd2c.application.update', fault: { kind: 'delay', ms: 5_000 }, remaining: 1 });
    const moving = first.stepWithoutWaiting(2 * HOUR);
    await expect.poll(() => sandbox.control.requestLog().some((r) => r.route === 'd2c.application.update'), { timeout: 30_000, message: 'the new token is being pushed' }).toBe(true);
    expect(tokenCalls().map((r) => r.status)).toEqual([200]);
    first.keeper.child.kill('SIGKILL');
    expect((await first.keeper.exited).signal).toBe('SIGKILL');
    await moving;
    // Restarted: the record still has the token's time from before the rotation (its update was the
    // run's last write), so the keeper renews at once, with the rotated refresh token read from disk:
    // the old one died with the rotation, so any loss would show here as invalid_grant.
    sandbox.control.clearRequestLog();
    const second = await steppedKeeper();
    await second.step(MIN);
    expect(await authorizedInData2crm(sandbox, external.applicationKey)).toBe(true);
    await second.step(4 * HOUR);
    expect(tokenCalls().length).toBeGreaterThanOrEqual(2);
    expect(tokenCalls().every((r) => r.status === 200)).toBe(true);
    expect(await authorizedInData2crm(sandbox, external.applicationKey)).toBe(true);
    const metrics = await scrape(await second.keeper.metricsPort());
    expect(metrics.value('data2crm_keeper_connections', { state: 'healthy' })).toBe(1);
    expect(metrics.value('data2crm_keeper_failures_total', { kind: 'needs-user' })).toBe(0);
  }, 120_000);

  it('tells each event once: a JSON log line and one webhook each, with the tray’s words and no secret', async () => {
    const external = await addExternal(folder, sandbox, 'Production');
    const internal = await seedInternal(folder, sandbox, 'Sales');
    const hooks: Array<{ text: string }> = [];
    const webhook = await captureWebhooks(hooks);
    const { keeper, step } = await steppedKeeper('--webhook', webhook.url, '--name', 'keeper-7');
    await step(5 * MIN);
    // Event 1: Salesforce revokes the external connection's refresh token.
    for (const token of sandbox.state.refreshTokens.keys()) if (sandbox.state.refreshTokens.get(token)!.clientId !== 'data2crm-internal-app') sandbox.control.revokeRefreshToken(token);
    for (let i = 0; i < 6; i++) await step(HOUR);
    await expect.poll(() => hooks.length, { message: 'the webhook got the notice' }).toBe(1);
    expect(hooks[0]!.text).toMatch(/^\*Production needs you\*\n.+\n_keeper-7 \(Data2CRM keeper\)_$/s);
    // Event 2: the internal connection's application is deleted in Data2CRM.
    sandbox.state.applications.delete(internal.applicationKey);
    for (let i = 0; i < 4; i++) await step(HOUR);
    await expect.poll(() => hooks.length, { message: 'the second notice' }).toBe(2);
    expect(hooks[1]!.text).toContain('*Sales was deleted in Data2CRM*');
    // Hours more of the same states: no repeats, anywhere.
    for (let i = 0; i < 6; i++) await step(HOUR);
    expect(hooks).toHaveLength(2);
    const notices = keeper.lines.filter((l) => l['event'] === 'notice');
    expect(notices.map((l) => l.msg)).toEqual(['Production needs you', 'Sales was deleted in Data2CRM']);
    expect(notices[0]).toMatchObject({ level: 'warn', connections: [external.id] });
    const everything = JSON.stringify(hooks) + JSON.stringify(keeper.lines);
    for (const token of [...sandbox.state.refreshTokens.keys(), ...sandbox.state.accessTokens.keys()]) expect(everything).not.toContain(token);
    const metrics = await scrape(await keeper.metricsPort());
    expect(metrics.value('data2crm_keeper_connections', { state: 'needs-reauthorization' })).toBe(1);
    expect(metrics.value('data2crm_keeper_connections', { state: 'application-deleted' })).toBe(1);
    expect(metrics.value('data2crm_keeper_failures_total', { kind: 'needs-user' })).toBe(1);
    expect(metrics.value('data2crm_keeper_failures_total', { kind: 'application-deleted' })).toBe(1);
    await webhook.close();
  }, 180_000);
});

/** A stand-in for Slack's incoming webhook: records every JSON body it gets. */
async function captureWebhooks(into: unknown[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      into.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/hook`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
