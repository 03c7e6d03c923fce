/**
 * The keeper as a child process: where its secrets go, and when it refuses to start. Real parts:
 * the bundle under plain Node, the data folder on disk, the sandbox over HTTP, and (for the
 * Secret Service case) the private gnome-keyring session the test runner starts.
 */
import keytar from 'keytar';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keeperServiceName } from '../../main/adapters/keeper-secret-service.js';
import { SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { keeperBundle, runKeeper, startKeeper, stopKeeper, type KeeperProcess } from '../support/keeper-process.js';
import { holdWriteLock } from '../support/other-program.js';

let dir: string;
let sandbox: Sandbox;
const running: KeeperProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-keeper-start-'));
  sandbox = await startSandbox();
  writeFileSync(join(dir, 'user-key'), `${SAMPLE_USER_KEY}\n`);
});
afterEach(async () => {
  for (const keeper of running.splice(0)) await stopKeeper(keeper, 'SIGKILL');
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const data = () => join(dir, 'data');
const base = () => ['--data', data(), '--sandbox', sandbox.urls.origin, '--user-key-file', join(dir, 'user-key')];

async function started(args: string[], options: Parameters<typeof startKeeper>[1] = {}): Promise<KeeperProcess> {
  const keeper = await startKeeper(args, options);
  running.push(keeper);
  await keeper.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts');
  return keeper;
}

/** Every byte under the data folder, as text: what an attacker with the disk would read. */
function everythingOnDisk(folder: string): string {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

describe('the keeper’s secrets', () => {
  it('refuses to start without a key and without a Secret Service, saying how to make one; nothing is written', async () => {
    const result = await runKeeper(base());
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('LoadCredential=keeper-key');
    // The command it names is this keeper as it was started, and it works as printed.
    const named = /Make a key once: +(.+) init-key --key-file (\S+)/.exec(result.stderr);
    expect(named, result.stderr).not.toBeNull();
    expect(named![1]).toBe(`${process.execPath} ${await keeperBundle()}`);
    const keyFile = join(dir, 'made-as-told.key');
    const made = spawnSync('sh', ['-c', `${named![1]} init-key --key-file ${keyFile}`], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.lines.some((l) => l.msg === 'keeper started')).toBe(false);
    expect(existsSync(join(data(), 'secrets'))).toBe(false);
    expect(existsSync(join(data(), 'state.db'))).toBe(false);
  });

  it('init-key writes a 0600 key once and never overwrites it', async () => {
    const keyFile = join(dir, 'keys', 'keeper.key');
    const first = await runKeeper(['init-key', '--key-file', keyFile]);
    expect(first.code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    expect(Buffer.from(key.trim(), 'base64')).toHaveLength(32);
    const again = await runKeeper(['init-key', '--key-file', keyFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('never overwritten');
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
  });

  it('with a key, keeps secrets encrypted on disk (the user key is nowhere in plaintext) and opens them again at the next start', async () => {
    const keyFile = join(dir, 'keeper.key');
    expect((await runKeeper(['init-key', '--key-file', keyFile])).code).toBe(0);
    let keeper = await started([...base(), '--key-file', keyFile]);
    expect(keeper.lines.find((l) => l.msg === 'keeper started')).toMatchObject({ storage: 'encrypted-file' });
    expect((await stopKeeper(keeper)).code).toBe(0);
    expect(statSync(data()).mode & 0o777).toBe(0o700);
    const disk = everythingOnDisk(data());
    expect(disk).not.toContain(SAMPLE_USER_KEY);
    expect(disk).not.toContain(Buffer.from(SAMPLE_USER_KEY).toString('base64'));
    expect(readdirSync(join(data(), 'secrets')).length).toBeGreaterThanOrEqual(2);
    // Started again without the user key file: the stored one is read back with the same key.
    keeper = await started(['--data', data(), '--sandbox', sandbox.urls.origin, '--key-file', keyFile]);
    expect(keeper.lines.some((l) => l.msg.startsWith('configured: the Data2CRM user key'))).toBe(false);
    expect((await stopKeeper(keeper)).code).toBe(0);
  });

  it('a different key stops the start before anything is read or written with it', async () => {
    const keyFile = join(dir, 'keeper.key');
    const other = join(dir, 'other.key');
    await runKeeper(['init-key', '--key-file', keyFile]);
    await runKeeper(['init-key', '--key-file', other]);
    await stopKeeper(await started([...base(), '--key-file', keyFile]));
    const before = readdirSync(join(data(), 'secrets')).sort();
    const result = await runKeeper([...base(), '--key-file', other]);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`The key in ${other} does not open the secrets`);
    expect(readdirSync(join(data(), 'secrets')).sort()).toEqual(before);
    // And no key at all, once secrets are encrypted: no start either (never the Secret Service instead).
    const none = await runKeeper(base());
    expect(none.code).toBe(78);
    expect(none.stderr).toContain('are encrypted and no key was given');
  });

  it('takes its key from systemd’s credentials folder ($CREDENTIALS_DIRECTORY/keeper-key)', async () => {
    const credentials = join(dir, 'credentials');
    mkdirSync(credentials);
    await runKeeper(['init-key', '--key-file', join(credentials, 'keeper-key')]);
    writeFileSync(join(credentials, 'user-key'), SAMPLE_USER_KEY);
    chmodSync(credentials, 0o500);
    const keeper = await started(['--data', data(), '--sandbox', sandbox.urls.origin], { env: { CREDENTIALS_DIRECTORY: credentials } });
    expect(keeper.lines.find((l) => l.msg === 'keeper started')).toMatchObject({ storage: 'encrypted-file' });
    expect(existsSync(join(data(), 'secrets', 'key-check'))).toBe(true);
    expect(keeper.lines.some((l) => l.msg === 'configured: the Data2CRM user key was saved')).toBe(true);
    expect((await stopKeeper(keeper)).code).toBe(0);
  });

  it('a key file that holds no key, or is missing, is named in the refusal', async () => {
    writeFileSync(join(dir, 'bad.key'), 'not a key\n');
    const bad = await runKeeper([...base(), '--key-file', join(dir, 'bad.key')]);
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain(`The key file ${join(dir, 'bad.key')} cannot be used: it does not hold a 256-bit key`);
    const missing = await runKeeper([...base(), '--key-file', join(dir, 'nowhere.key')]);
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('it does not exist');
  });

  it('one keeper per data folder: a second one is refused while the first runs, and a stale lock is taken over', async () => {
    const keyFile = join(dir, 'keeper.key');
    await runKeeper(['init-key', '--key-file', keyFile]);
    const first = await started([...base(), '--key-file', keyFile]);
    const second = await runKeeper([...base(), '--key-file', keyFile]);
    expect(second.code).toBe(78);
    expect(second.stderr).toContain(`Another keeper (process ${first.child.pid}) is using ${data()}`);
    // Killed without a chance to tidy up: its lock stays, and the next start takes it over.
    await stopKeeper(first, 'SIGKILL');
    expect(existsSync(join(data(), 'keeper.lock'))).toBe(true);
    await stopKeeper(await started([...base(), '--key-file', keyFile]));
  });

  it('another program holding the state database at start: the keeper logs why it waits, then starts and serves; nothing is set aside', async () => {
    const keyFile = join(dir, 'keeper.key');
    await runKeeper(['init-key', '--key-file', keyFile]);
    await stopKeeper(await started([...base(), '--key-file', keyFile]));
    const lock = await holdWriteLock(join(data(), 'state.db'));
    try {
      const keeper = await startKeeper([...base(), '--key-file', keyFile, '--metrics-port', '0']);
      running.push(keeper);
      await keeper.waitForLine((l) => l.level === 'warn' && l.msg === 'state: the state database cannot be opened yet; retrying' && l['kind'] === 'locked', 'the keeper says it waits');
      // After the quiet wait, the reason in the words the desktop's tray shows.
      await keeper.waitForLine((l) => l.msg === 'state: Starting: another program is using the state database; retrying', 'the keeper says why it waits');
      expect(keeper.lines.some((l) => l.msg === 'keeper started')).toBe(false);
      await lock.release();
      await keeper.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts once the lock ends');
      const healthz = await fetch(`http://127.0.0.1:${await keeper.metricsPort()}/healthz`);
      expect(healthz.status).toBe(200);
      expect(readdirSync(data()).filter((name) => name.includes('unreadable'))).toEqual([]);
    } finally {
      await lock.release();
    }
  }, 90_000);

  it('uses the Secret Service when one answers and no key is given (one service name per data folder)', async () => {
    const service = keeperServiceName(data());
    try {
      const keeper = await startKeeper(base(), { env: { DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] } });
      running.push(keeper);
      await keeper.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts');
      expect(keeper.lines.find((l) => l.msg === 'keeper started')).toMatchObject({ storage: 'secret-service' });
      expect(await keytar.getPassword(service, 'data2crm-user-key')).toBe(SAMPLE_USER_KEY);
      expect(existsSync(join(data(), 'secrets'))).toBe(false);
      expect((await stopKeeper(keeper)).code).toBe(0);
    } finally {
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    }
  });

  it('a usage error says which flag and shows the help, with exit code 3', async () => {
    const result = await runKeeper(['--data', data(), '--no-such-flag']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Unknown option '--no-such-flag'/);
    // The usage names the command that was run, and that command answers --help.
    const program = /Usage: (.+) \[run\]/.exec(result.stderr)?.[1];
    expect(program).toBe(`${process.execPath} ${await keeperBundle()}`);
    const help = spawnSync('sh', ['-c', `${program} --help`], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('init-key --key-file FILE');
  });
});
