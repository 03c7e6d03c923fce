/**
 * `data2crm-tray handover` end to end: the real command (its bundle, a child process) between a
 * core running as the app (its local API on a socket, the keychain, SQLite) and the real keeper
 * (a child process on its own data folder), with the sandbox behind both. In one step over the
 * keeper's socket, and in the file form; interrupted where it can be (the keeper unreachable,
 * refusing, dying after it took the package): each time exactly one side renews the connection,
 * and the command's words say which. The passphrase and the tokens appear in no output, except
 * the passphrase where the file form prints it on purpose.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openClient } from '../../cli/client.js';
import { buildTrayModel } from '../../main/core/tray-model.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { runCli, startCli, type CliRun } from '../support/command-line.js';
import { startHandoverApp, type HandoverApp } from '../support/handover-app.js';
import { runKeeper, startKeeper, stopKeeper, type KeeperProcess } from '../support/keeper-process.js';
import { authorizedInData2crm, keeperFolder, type KeeperFolder } from '../support/keeper-seed.js';
import { scrape } from '../support/prometheus-text.js';

const MIN = 60_000;

let dir: string;
let sandbox: Sandbox;
let folder: KeeperFolder;
let app: HandoverApp;
const running: KeeperProcess[] = [];
const outputs: CliRun[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-handover-cli-'));
  sandbox = await startSandbox();
  sandbox.control.setRotation(true);
  folder = await keeperFolder(dir, sandbox);
  app = await startHandoverApp(dir, sandbox, `data2crm-tray-test-${randomUUID()}`);
});
afterEach(async () => {
  for (const keeper of running.splice(0)) await stopKeeper(keeper, 'SIGKILL');
  // Whatever happened, the tokens never appeared in what the command printed.
  for (const run of outputs.splice(0)) for (const token of app.tokens) expect(run.stdout + run.stderr).not.toContain(token);
  await app.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

const keeperSocket = () => join(folder.data, 'run', 'local-api.sock');

async function keeper(options: { clock?: 'stepped' } = {}): Promise<KeeperProcess> {
  const started = await startKeeper(folder.args('--metrics-port', '0', '--name', 'keeper-1'), options);
  running.push(started);
  await started.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts');
  return started;
}

async function cli(args: readonly string[]): Promise<CliRun> {
  const run = await runCli(['--socket', app.socket, ...args]);
  outputs.push(run);
  return run;
}

const handOver = (socket: string) => cli(['handover', 'Production', '--to-socket', socket, '--name', 'keeper-1']);

/** The app renews it itself: planned here, its tokens here, no hand-over on its record. */
function appKeepsIt(): void {
  expect(app.core.settings.connection(app.id)?.keptBy ?? null).toBeNull();
  expect(app.core.keepAlive.nextRunAt(app.id)).not.toBeNull();
  expect(app.core.vault.secretsOf(app.id)).not.toBeNull();
}

/** The keeper renews it and the app does not: nothing planned here, no tokens here. */
function keeperKeepsIt(): void {
  expect(app.core.settings.connection(app.id)?.keptBy).toMatchObject({ keeper: 'keeper-1', state: 'kept' });
  expect(app.core.keepAlive.nextRunAt(app.id)).toBeNull();
  expect(app.core.vault.secretsOf(app.id)).toBeNull();
}

/** The keeper's local API asked directly, as the command asks it. */
async function receiptFrom(socket: string, handoverId: string): Promise<unknown> {
  const client = await openClient(socket, 'not running');
  try {
    return await client.call('handover:receipt', { handoverId });
  } finally {
    client.close();
  }
}

async function keeperLists(): Promise<string[]> {
  const status = await runCli(['--keeper', keeperSocket(), 'status', '--json']);
  return (JSON.parse(status.stdout) as { connections: Array<{ id: string }> }).connections.map((c) => c.id);
}

/**
 * Between the command and the keeper: the keeper's first answer is never passed on, and the keeper
 * is killed as it answers (it took the package; the command never hears so). Later answers pass.
 */
async function killingProxy(current: () => KeeperProcess): Promise<{ socket: string; killed: Promise<void>; close: () => Promise<void> }> {
  const proxyDir = join(dir, 'proxy');
  mkdirSync(proxyDir, { mode: 0o700 });
  const socket = join(proxyDir, 'local-api.sock');
  let killed: () => void = () => undefined;
  const whenKilled = new Promise<void>((resolve) => (killed = resolve));
  let answers = 0;
  const proxy: Server = createServer((client: Socket) => {
    const upstream = connect(keeperSocket());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream);
    upstream.on('data', (chunk) => {
      if (answers++ === 0) {
        current().child.kill('SIGKILL');
        client.destroy();
        killed();
      } else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(socket, resolve));
  // As the keeper's own: the command talks only to a socket nobody else can open.
  chmodSync(socket, 0o600);
  return { socket, killed: whenKilled, close: () => new Promise((resolve) => proxy.close(() => resolve())) };
}

describe('data2crm-tray handover <connection> --to-socket <keeper socket>', () => {
  it('in one step: the keeper renews it through the day with no gap, the app shows “kept by keeper-1” and refreshes nothing; hand-back restores it', async () => {
    const running = await keeper({ clock: 'stepped' });
    const moved = await handOver(keeperSocket());
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain('Production is kept by keeper-1 now');
    keeperKeepsIt();
    const status = await cli(['status']);
    expect(status.stdout).toMatch(/Production .* kept by keeper-1/);
    const tray = buildTrayModel(app.core.app.trayState({ productName: 'Data2CRM Tray', version: '0.1.0' }, Date.now()));
    expect(JSON.stringify(tray)).toContain('Production — kept by keeper-1');

    // Two simulated hours in 5-minute steps: every renewal is the keeper's (its metric counts each one the sandbox saw).
    sandbox.control.clearRequestLog();
    const start = await running.clockStart();
    for (let t = 5 * MIN; t <= 120 * MIN; t += 5 * MIN) {
      sandbox.control.setClockOffset(start + t - Date.now());
      await running.advance(5 * MIN);
      expect(await authorizedInData2crm(sandbox, app.applicationKey), `authorized at ${t / MIN} min`).toBe(true);
    }
    const renewals = sandbox.control.requestLog().filter((r) => r.route === 'sf.token');
    expect(renewals.length).toBeGreaterThan(0);
    expect(renewals.every((r) => r.status === 200)).toBe(true);
    expect((await scrape(await running.metricsPort())).value('data2crm_keeper_refreshes_total')).toBe(renewals.length);
    expect(app.core.keepAlive.nextRunAt(app.id)).toBeNull();

    // Hand-back: the keeper (stopped) seals it for the app, the app takes it as its window does, the keeper forgets it.
    await stopKeeper(running);
    const out = join(dir, 'back.d2ckeep');
    const back = await runKeeper(['handback', ...folder.args('--connection', app.id, '--to', 'the tray on laptop-7', '--out', out)]);
    expect(back.code, back.stderr).toBe(0);
    const passphrase = /Passphrase \(shown once\): (\S+)/.exec(back.stdout)![1]!;
    const taken = await app.core.app.receiveHandover(readFileSync(out, 'utf8'), passphrase);
    if (!taken.ok) throw new Error(taken.message);
    const done = await runKeeper(['handback', ...folder.args('--connection', app.id, '--complete', '--receipt', taken.receipt)]);
    expect(done.code, done.stderr).toBe(0);
    sandbox.control.setClockOffset(0);
    appKeepsIt();
    expect(await app.core.app.refreshNow(app.id)).toMatchObject({ ok: true });
    expect(await authorizedInData2crm(sandbox, app.applicationKey)).toBe(true);
  }, 240_000);

  it('the keeper cannot be reached: nothing is begun, exit 2, the app keeps it', async () => {
    const moved = await handOver(join(dir, 'no-keeper', 'local-api.sock'));
    expect(moved.code).toBe(2);
    expect(moved.stderr).toContain('Nothing was handed over');
    expect(moved.stderr).toContain('Production is kept by the app as before');
    appKeepsIt();
  }, 60_000);

  it('the keeper refuses it (another Data2CRM user key): the app cancels and keeps it, the keeper has nothing', async () => {
    sandbox.control.addUserKey('sbx-user-key-of-someone-else-2024');
    writeFileSync(folder.userKeyFile, 'sbx-user-key-of-someone-else-2024\n');
    await keeper();
    const moved = await handOver(keeperSocket());
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('keeper-1 did not take Production: The connection was not taken: It belongs to another Data2CRM user key');
    expect(moved.stderr).toContain('Production is kept by the app again');
    appKeepsIt();
    expect(await keeperLists()).toEqual([]);
  }, 60_000);

  it('the app’s own socket is no keeper: it refuses to take a connection over its socket, and the hand-over is cancelled', async () => {
    const moved = await handOver(app.socket);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('The app takes a handed-back connection in its window');
    appKeepsIt();
  }, 60_000);

  it('the keeper dies right after it took the package: the command sends the same package again when it is back, and completes with the same receipt', async () => {
    let first = await keeper();
    const proxy = await killingProxy(() => first);
    try {
      const command = startCli(['--socket', app.socket, 'handover', 'Production', '--to-socket', proxy.socket, '--name', 'keeper-1']);
      await Promise.race([proxy.killed, command.ended.then(() => Promise.reject(new Error(`the command ended first: ${command.stderr()}`)))]);
      await first.exited;
      // Meanwhile nobody renews it: the app stopped at the seal, the keeper is down.
      expect(app.core.settings.connection(app.id)?.keptBy).toMatchObject({ state: 'handing-over' });
      expect(app.core.keepAlive.nextRunAt(app.id)).toBeNull();
      first = await keeper();
      const moved: CliRun = { code: await command.ended, stdout: command.stdout(), stderr: command.stderr() };
      outputs.push(moved);
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stderr).toContain('waiting up to 60 s');
      keeperKeepsIt();
      expect(await keeperLists()).toEqual([app.id]);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('the keeper took the package and stayed down past the wait: the command gives up; once the keeper is back, running it again gets the receipt from the keeper and finishes', async () => {
    let first = await keeper();
    const proxy = await killingProxy(() => first);
    try {
      const gaveUp = await cli(['handover', 'Production', '--to-socket', proxy.socket, '--name', 'keeper-1', '--wait', '1']);
      expect(gaveUp.code, gaveUp.stderr).toBe(1);
      expect(gaveUp.stderr).toContain('whether keeper-1 took Production is unknown: it did not answer again within 1 s');
      expect(gaveUp.stderr).toContain(`run the same command again (\`data2crm-tray handover ${app.id} --to-socket ${proxy.socket}\`)`);
    } finally {
      await proxy.close();
    }
    await first.exited;
    expect(app.core.settings.connection(app.id)?.keptBy).toMatchObject({ state: 'handing-over' });
    // Still down: nothing changes, and the words say the hand-over waits.
    const down = await cli(['handover', 'Production', '--to-socket', keeperSocket()]);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('The hand-over of Production to keeper-1 is still under way');
    first = await keeper();
    const finished = await cli(['handover', 'Production', '--to-socket', keeperSocket()]);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toContain('A hand-over of Production to keeper-1 was under way: the keeper took it and answered its receipt now');
    expect(finished.stdout).toContain('Production is kept by keeper-1 now');
    keeperKeepsIt();
    expect(await keeperLists()).toEqual([app.id]);
    // A receipt comes only from a keeper that took that very package, and never from the app.
    const handoverId = app.core.settings.connection(app.id)!.keptBy!.handoverId;
    expect(await receiptFrom(keeperSocket(), handoverId)).toMatchObject({ ok: true, id: app.id });
    expect(await receiptFrom(keeperSocket(), randomUUID())).toEqual({ ok: false, message: expect.stringContaining('this side did not take it') });
    await expect(receiptFrom(app.socket, handoverId)).rejects.toThrow('Only a keeper answers a hand-over’s receipt');
  }, 120_000);
});

describe('the window’s hand-over', () => {
  it('no file saved (the save dialog cancelled, or no window): nothing is handed over, the app keeps renewing it', async () => {
    // This app's save-dialog port answers "cancelled", as the default where there is no window.
    const result = await app.core.app.handOverToFile(app.id, 'keeper-1');
    expect(result).toEqual({ ok: false, message: 'Nothing was handed over: no file was saved. Production is kept here as before.' });
    appKeepsIt();
  });
});

describe('data2crm-tray handover <connection> --out FILE, then --receipt / --cancel', () => {
  it('prints the passphrase alone on stdout, once; the keeper takes the file; --receipt finishes', async () => {
    const file = join(dir, 'prod.d2ckeep');
    const sealed = await cli(['handover', 'Production', '--out', file, '--name', 'keeper-1']);
    expect(sealed.code, sealed.stderr).toBe(0);
    const passphrase = sealed.stdout.trim();
    expect(passphrase).toMatch(/^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/);
    expect(sealed.stderr).not.toContain(passphrase);
    expect(readFileSync(file, 'utf8')).not.toContain(passphrase);
    // The app's status says who it waits for and since when; its log never saw the passphrase.
    expect((await cli(['status'])).stdout).toMatch(/handing over to keeper-1 since .* waiting for its receipt/);
    expect(JSON.stringify(app.logger.lines)).not.toContain(passphrase);
    const passphraseFile = join(dir, 'passphrase');
    writeFileSync(passphraseFile, passphrase);
    const taken = await runKeeper(['receive', file, ...folder.args('--passphrase-file', passphraseFile)]);
    expect(taken.code, taken.stderr).toBe(0);
    const receipt = /Receipt: ([0-9A-Z]{8})/.exec(taken.stdout)![1]!;
    const done = await cli(['handover', 'Production', '--receipt', receipt]);
    expect(done.code, done.stderr).toBe(0);
    keeperKeepsIt();
    for (const run of outputs.slice(1)) expect(run.stdout + run.stderr).not.toContain(passphrase);
  }, 90_000);

  it('--cancel before the keeper took it: the app keeps it again; an existing --out file is never replaced', async () => {
    const file = join(dir, 'prod.d2ckeep');
    expect((await cli(['handover', 'Production', '--out', file])).code).toBe(0);
    const cancelled = await cli(['handover', 'Production', '--cancel']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    appKeepsIt();
    const again = await cli(['handover', 'Production', '--out', file]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('already exists');
    appKeepsIt();
  }, 60_000);
});
