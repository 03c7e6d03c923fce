/**
 * Hand-over and hand-back between a core running as the app (in this process: the OS keychain in
 * the private Secret Service, SQLite, the settings file) and a keeper (a child process on its own
 * data folder), through the sealed file and its one-time passphrase. Exactly one of them renews
 * the connection at any moment, also when a hand-over is interrupted; Data2CRM's own view is
 * sampled throughout: no gap.
 */
import keytar from 'keytar';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import { buildTrayModel } from '../../main/core/tray-model.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { authorizedInData2crm, keeperFolder, type KeeperFolder } from '../support/keeper-seed.js';
import { runKeeper, startKeeper, stopKeeper, type KeeperProcess } from '../support/keeper-process.js';
import { composeAppCore } from '../support/handover-app.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { scrape } from '../support/prometheus-text.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

let dir: string;
let sandbox: Sandbox;
let folder: KeeperFolder;
let service: string;
const cores: Core[] = [];
const running: KeeperProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-handover-'));
  sandbox = await startSandbox();
  sandbox.control.setRotation(true);
  folder = await keeperFolder(dir, sandbox);
  service = `data2crm-tray-test-${randomUUID()}`;
});
afterEach(async () => {
  for (const keeper of running.splice(0)) await stopKeeper(keeper, 'SIGKILL');
  for (const core of cores.splice(0)) core.keepAlive.stop();
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

/** The app's core (a start of it: run again for a restart), over its own folder and the keychain. */
async function appCore(): Promise<Core> {
  const core = await composeAppCore(join(dir, 'app'), service);
  cores.push(core);
  return core;
}

/** The app with one external connection of the sample connected app (its tokens from the sandbox's sign-in). */
async function appWithConnection() {
  const core = await appCore();
  core.settings.update((s) => ({ ...s, endpoints: { data2crmApiBase: sandbox.urls.data2crmApi, data2crmAuthBase: sandbox.urls.data2crmAuth, salesforceLoginHost: sandbox.urls.salesforceLogin }, extraInstanceHosts: [new URL(sandbox.urls.origin).host] }));
  await core.vault.setUserKey(SAMPLE_USER_KEY);
  const tokens = await externalTokens(sandbox);
  const made = await core.connections.connectExternalWithTokens({ label: 'Production', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken!, instanceUrl: tokens.instanceUrl, issuedAt: tokens.issuedAt } });
  if (!made.ok) throw new Error(made.error.message);
  core.keepAlive.track(made.value);
  core.keepAlive.start();
  return { core, id: made.value.id, applicationKey: made.value.applicationKey! };
}

/** The sealed file and its passphrase, as the person carries them to the server. */
function carry(sealed: { sealed: string; passphrase: string }): { file: string; passphraseFile: string } {
  const file = join(dir, `handover-${randomUUID()}.d2ckeep`);
  const passphraseFile = join(dir, `passphrase-${randomUUID()}`);
  writeFileSync(file, sealed.sealed);
  writeFileSync(passphraseFile, sealed.passphrase);
  return { file, passphraseFile };
}

const receiptOf = (stdout: string) => /Receipt: ([0-9A-Z]{8})/.exec(stdout)?.[1];

async function keeperReceives(sealed: { sealed: string; passphrase: string }) {
  const { file, passphraseFile } = carry(sealed);
  return runKeeper(['receive', file, ...folder.args('--passphrase-file', passphraseFile)]);
}

/** The keeper on the stepped clock, moved in 5-minute steps with the sandbox following; Data2CRM sampled after each. */
async function keeperKeeps(applicationKey: string, hours: number): Promise<KeeperProcess> {
  const keeper = await startKeeper(folder.args('--metrics-port', '0', '--name', 'keeper-1'), { clock: 'stepped' });
  running.push(keeper);
  await keeper.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts');
  const start = await keeper.clockStart();
  for (let t = 5 * MIN; t <= hours * HOUR; t += 5 * MIN) {
    sandbox.control.setClockOffset(start + t - Date.now());
    await keeper.advance(5 * MIN);
    expect(await authorizedInData2crm(sandbox, applicationKey), `authorized at ${t / MIN} min`).toBe(true);
  }
  return keeper;
}

describe('hand-over to a keeper and back', () => {
  it('the keeper takes it with the passphrase, the tray shows “kept by keeper-1” and renews nothing, the keeper keeps it alive with no gap', async () => {
    const { core, id, applicationKey } = await appWithConnection();
    const sealed = await core.handover.begin(id, { from: 'the tray on laptop-7', to: 'keeper-1' });
    if (!sealed.ok) throw new Error(sealed.error);
    // From the moment it is sealed, the tray does not renew it.
    expect(core.keepAlive.nextRunAt(id)).toBeNull();
    const taken = await keeperReceives(sealed.value);
    expect(taken.code, taken.stderr).toBe(0);
    const receipt = receiptOf(taken.stdout)!;
    expect(await core.handover.complete(id, receipt, 'show-as-kept')).toMatchObject({ ok: true });
    // The tray: "kept by keeper-1", its tokens gone, its actions refused.
    expect(core.app.snapshot().connections[0]).toMatchObject({ id, keptBy: { keeper: 'keeper-1', pending: false }, accessTokenFingerprint: null });
    const tray = buildTrayModel(core.app.trayState({ productName: 'Data2CRM Tray', version: '0.1.0' }, Date.now()));
    expect(JSON.stringify(tray)).toContain('Production — kept by keeper-1');
    expect(await core.app.refreshNow(id)).toMatchObject({ ok: false, message: expect.stringContaining('kept by keeper-1') });
    expect(await core.app.disconnect(id)).toMatchObject({ ok: false });
    expect(core.vault.secretsOf(id)).toBeNull();
    expect(await keytar.findCredentials(service)).not.toContainEqual(expect.objectContaining({ account: `connection:${id}` }));
    // The keeper: renewals with the rotating token through four hours, never a gap.
    sandbox.control.clearRequestLog();
    const keeper = await keeperKeeps(applicationKey, 4);
    expect(sandbox.control.requestLog().filter((r) => r.route === 'sf.token').every((r) => r.status === 200)).toBe(true);
    expect((await scrape(await keeper.metricsPort())).value('data2crm_keeper_connections', { state: 'healthy' })).toBe(1);
  }, 180_000);

  it('hand-back: the keeper seals it back, the tray takes it and renews it again, the keeper forgets it', async () => {
    const { core, id, applicationKey } = await appWithConnection();
    const sealed = await core.handover.begin(id, { from: 'the tray on laptop-7', to: 'keeper-1' });
    if (!sealed.ok) throw new Error(sealed.error);
    const taken = await keeperReceives(sealed.value);
    await core.handover.complete(id, receiptOf(taken.stdout)!, 'show-as-kept');
    await stopKeeper(await keeperKeeps(applicationKey, 3));
    // Back: the keeper seals it for the tray.
    const out = join(dir, 'handback.d2ckeep');
    const back = await runKeeper(['handback', ...folder.args('--connection', id, '--to', 'the tray on laptop-7', '--out', out)]);
    expect(back.code, back.stderr).toBe(0);
    const passphrase = /Passphrase \(shown once\): (\S+)/.exec(back.stdout)![1]!;
    const received = await core.handover.receive(readFileSync(out, 'utf8'), passphrase);
    if (!received.ok) throw new Error(received.error);
    expect(core.app.snapshot().connections[0]!.keptBy).toBeUndefined();
    expect(core.keepAlive.nextRunAt(id)).not.toBeNull();
    // The token the keeper last rotated works here: a refresh now is accepted.
    sandbox.control.setClockOffset(0);
    expect(await core.app.refreshNow(id)).toMatchObject({ ok: true });
    expect(await authorizedInData2crm(sandbox, applicationKey)).toBe(true);
    const done = await runKeeper(['handback', ...folder.args('--connection', id, '--complete', '--receipt', received.value.receipt)]);
    expect(done.code, done.stderr).toBe(0);
    const keeper = await startKeeper(folder.args('--metrics-port', '0'));
    running.push(keeper);
    expect((await scrape(await keeper.metricsPort())).sum('data2crm_keeper_connections')).toBe(0);
  }, 180_000);

  it('interrupted before the keeper took it (the tray restarts): nobody renews it until it is cancelled, then the tray does again', async () => {
    const { core, id } = await appWithConnection();
    const sealed = await core.handover.begin(id, { from: 'the tray', to: 'keeper-1' });
    expect(sealed.ok).toBe(true);
    core.keepAlive.stop();
    const restarted = await appCore();
    restarted.keepAlive.start();
    expect(restarted.settings.connection(id)?.keptBy).toMatchObject({ state: 'handing-over', keeper: 'keeper-1' });
    expect(restarted.keepAlive.nextRunAt(id)).toBeNull();
    expect(restarted.app.snapshot().connections[0]).toMatchObject({ keptBy: { keeper: 'keeper-1', pending: true } });
    const tray = buildTrayModel(restarted.app.trayState({ productName: 'Data2CRM Tray', version: '0.1.0' }, Date.now()));
    expect(JSON.stringify(tray)).toMatch(/Production — handing over to keeper-1 since [^"]+ · waiting for its receipt/);
    expect(await restarted.app.refreshNow(id)).toMatchObject({ ok: false, message: expect.stringContaining('being handed over to keeper-1') });
    expect(await restarted.handover.cancel(id)).toMatchObject({ ok: true });
    expect(restarted.keepAlive.nextRunAt(id)).not.toBeNull();
    expect(await restarted.app.refreshNow(id)).toMatchObject({ ok: true });
  }, 120_000);

  it('interrupted after the keeper took it (no receipt reached the tray): the keeper alone renews it; the same package again answers the same receipt', async () => {
    const { core, id, applicationKey } = await appWithConnection();
    const sealed = await core.handover.begin(id, { from: 'the tray', to: 'keeper-1' });
    if (!sealed.ok) throw new Error(sealed.error);
    const first = await keeperReceives(sealed.value);
    core.keepAlive.stop();
    const restarted = await appCore();
    restarted.keepAlive.start();
    expect(restarted.keepAlive.nextRunAt(id)).toBeNull();
    await stopKeeper(await keeperKeeps(applicationKey, 3));
    const again = await keeperReceives(sealed.value);
    expect(again.stdout).toContain('Already taken');
    expect(receiptOf(again.stdout)).toBe(receiptOf(first.stdout));
    expect(await restarted.handover.complete(id, 'WRONG123', 'show-as-kept')).toMatchObject({ ok: false });
    expect(await restarted.handover.complete(id, receiptOf(again.stdout)!, 'show-as-kept')).toMatchObject({ ok: true });
  }, 180_000);

  it('a wrong passphrase, or a second hand-over of a connection the keeper has: refused, nothing taken', async () => {
    const { core, id } = await appWithConnection();
    const sealed = await core.handover.begin(id, { from: 'the tray', to: 'keeper-1' });
    if (!sealed.ok) throw new Error(sealed.error);
    const wrong = await keeperReceives({ sealed: sealed.value.sealed, passphrase: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('The passphrase does not open this package');
    expect((await keeperReceives(sealed.value)).code).toBe(0);
    // The tray cancels by mistake and hands it over once more: the keeper already keeps it.
    await core.handover.cancel(id);
    const twice = await core.handover.begin(id, { from: 'the tray', to: 'keeper-1' });
    if (!twice.ok) throw new Error(twice.error);
    const refused = await keeperReceives(twice.value);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is kept here already');
  }, 120_000);
});
