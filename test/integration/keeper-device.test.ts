/**
 * `keeper connect --device` from start to healthy: the real command as a child process prints a
 * code and an address, a person enters the code at the sandbox's verification page (over HTTP, as
 * a phone would), the command registers the connection, and the keeper then keeps it: healthy in
 * /metrics, authorized in Data2CRM, renewed with the connected app's client id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_CLIENT, SAMPLE_USER, startSandbox, type Sandbox } from '../sandbox/server.js';
import { authorizedInData2crm, keeperFolder, type KeeperFolder } from '../support/keeper-seed.js';
import { startKeeper, stopKeeper, type KeeperProcess } from '../support/keeper-process.js';
import { scrape } from '../support/prometheus-text.js';

let dir: string;
let sandbox: Sandbox;
let folder: KeeperFolder;
const running: KeeperProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-keeper-device-'));
  sandbox = await startSandbox();
  sandbox.control.setDeviceInterval(1_000);
  folder = await keeperFolder(dir, sandbox);
});
afterEach(async () => {
  for (const keeper of running.splice(0)) await stopKeeper(keeper, 'SIGKILL');
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connectDevice(decision: 'allow' | 'deny') {
  const command = await startKeeper(['connect', '--device', ...folder.args('--label', 'Device org', '--client-id', SAMPLE_CLIENT.clientId)]);
  running.push(command);
  await expect.poll(() => /Code: ([A-Z0-9]{8})/.exec(command.text.stdout)?.[1], { timeout: 30_000, message: 'the command shows a code' }).toBeTruthy();
  const code = /Code: ([A-Z0-9]{8})/.exec(command.text.stdout)![1]!;
  const address = /open (\S+) on any device/.exec(command.text.stdout)![1]!;
  expect(address).toBe(`${sandbox.urls.origin}/setup/connect`);
  // The person, on another device: the verification page, their Salesforce login, the code.
  const page = await fetch(address, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ user_code: code, username: SAMPLE_USER.username, password: SAMPLE_USER.password, decision }) });
  expect(page.status).toBe(200);
  const { code: exit } = await command.exited;
  return { exit, stdout: command.text.stdout, stderr: command.text.stderr };
}

describe('keeper connect --device', () => {
  it('from the code to a healthy, renewed connection', async () => {
    const connected = await connectDevice('allow');
    expect(connected.exit, connected.stderr).toBe(0);
    expect(connected.stdout).toMatch(/Device org is connected \([0-9a-f-]{36}\)\./);
    const applicationKey = [...sandbox.state.applications.values()].find((a) => a.description === 'Device org')!.key;
    expect(sandbox.state.applications.get(applicationKey)!.authorization).toBe('oAuth-external-refresh');
    const keeper = await startKeeper(folder.args('--metrics-port', '0'), { clock: 'stepped' });
    running.push(keeper);
    await keeper.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts');
    expect((await scrape(await keeper.metricsPort())).value('data2crm_keeper_connections', { state: 'healthy' })).toBe(1);
    // Past the 2-hour session: renewed with the connected app (no secret: a device-flow app is public).
    const start = await keeper.clockStart();
    sandbox.control.clearRequestLog();
    for (let t = 5; t <= 150; t += 5) {
      sandbox.control.setClockOffset(start + t * 60_000 - Date.now());
      await keeper.advance(5 * 60_000);
    }
    expect(sandbox.control.requestLog().filter((r) => r.route === 'sf.token').map((r) => r.status)).toEqual([200]);
    expect(await authorizedInData2crm(sandbox, applicationKey)).toBe(true);
    const metrics = await scrape(await keeper.metricsPort());
    expect(metrics.value('data2crm_keeper_connections', { state: 'healthy' })).toBe(1);
    expect(metrics.value('data2crm_keeper_refreshes_total')).toBe(1);
  }, 120_000);

  it('a denied code ends the command with the reason; nothing is stored or registered', async () => {
    const denied = await connectDevice('deny');
    expect(denied.exit).toBe(1);
    expect(denied.stderr).toContain('denied');
    expect(sandbox.state.applications.size).toBe(0);
    const keeper = await startKeeper(folder.args('--metrics-port', '0'));
    running.push(keeper);
    expect((await scrape(await keeper.metricsPort())).sum('data2crm_keeper_connections')).toBe(0);
  }, 120_000);
});
