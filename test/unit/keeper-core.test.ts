/** The keeper's decisions in main/core/keeper: its command line, its key, where its secrets go, what it tells and how it judges health. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEncryptedFileSecretStore } from '../../main/adapters/encrypted-file-secret-store.js';
import { parsePastedTokens } from '../../main/core/keeper/connect.js';
import { createHealthCheck } from '../../main/core/keeper/health.js';
import { checkWebhookUrl, noticeFields, webhookBody } from '../../main/core/keeper/notices.js';
import { EXIT, invokedAs, parseKeeperCommand } from '../../main/core/keeper/options.js';
import { keyFileCandidates, keyFileText, parseKeyFile, parseUserKeyFile, userKeyFileCandidates } from '../../main/core/keeper/secret-key.js';
import { chooseKeeperSecrets, type KeeperSecretInput } from '../../main/core/keeper/secret-storage.js';
import type { SecretStore } from '../../main/core/ports.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { createMemoryLogger } from '../support/memory-logger.js';

const PROGRAM = '/usr/bin/node /opt/data2crm-keeper/keeper.mjs';
const parse = (...args: string[]) => parseKeeperCommand(args, {}, PROGRAM);

describe('the keeper’s command line', () => {
  it('runs by default, takes its data folder from --data or systemd’s $STATE_DIRECTORY, and reads every run flag', () => {
    expect(parse('--data', '/d', '--metrics-port', '9464', '--webhook', 'https://hooks.example.com/x', '--name', 'k1')).toEqual({
      ok: true,
      value: { command: 'run', data: '/d', keyFile: null, userKeyFile: null, sandbox: null, metricsPort: 9464, webhook: 'https://hooks.example.com/x', webhookFile: null, name: 'k1' },
    });
    expect(parseKeeperCommand(['run'], { STATE_DIRECTORY: '/var/lib/data2crm-keeper' }, PROGRAM)).toMatchObject({ ok: true, value: { command: 'run', data: '/var/lib/data2crm-keeper' } });
    expect(parseKeeperCommand([], { D2C_KEEPER_DATA: '/data' }, PROGRAM)).toMatchObject({ ok: true, value: { data: '/data' } });
  });

  it('says what is wrong in one sentence, with the command’s help', () => {
    expect(parse()).toMatchObject({ ok: false, error: { message: expect.stringContaining('--data DIR') } });
    expect(parse('--data', '/d', '--metrics-port', 'http')).toMatchObject({ ok: false, error: { message: '--metrics-port is a port number (0-65535).' } });
    expect(parse('--data', '/d', '--webhook', 'a', '--webhook-file', 'b')).toMatchObject({ ok: false, error: { message: 'Give --webhook or --webhook-file, not both.' } });
    expect(parse('frobnicate')).toMatchObject({ ok: false, error: { message: 'Unknown keeper command “frobnicate”.' } });
    expect(parse('add', '--data', '/d', '--label', 'x', '--instance-url', 'https://x.my.salesforce.com')).toMatchObject({ ok: false, error: { message: expect.stringContaining('--paste'), help: expect.stringContaining(`${PROGRAM} add --paste`) } });
    expect(parse('connect', '--data', '/d', '--label', 'x', '--client-id', 'c')).toMatchObject({ ok: false, error: { message: expect.stringContaining('--device') } });
    expect(parse('connect', '--device', '--data', '/d', '--label', 'x')).toMatchObject({ ok: false, error: { message: '--client-id is required.' } });
    expect(parse('add', '--paste', '--data', '/d', '--label', 'x', '--instance-url', 'u', '--crm-type', 'Hubspot')).toMatchObject({ ok: false, error: { message: '--crm-type is Salesforce or SalesforceSandbox.' } });
    expect(parse('init-key')).toMatchObject({ ok: false, error: { message: '--key-file is required.' } });
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 3, config: 78 });
  });

  it('has help for every command', () => {
    for (const args of [['--help'], ['help'], ['init-key', '--help'], ['add', '--help'], ['connect', '-h']]) expect(parse(...args)).toMatchObject({ ok: true, value: { command: 'help', text: expect.stringContaining(`Usage: ${PROGRAM}`) } });
  });

  it('names itself as it was started, quoted for a shell where a path needs it', () => {
    expect(invokedAs('/usr/bin/node', '/opt/data2crm-keeper/keeper.mjs')).toBe('/usr/bin/node /opt/data2crm-keeper/keeper.mjs');
    expect(invokedAs('node', "/home/o'neil/my keeper/keeper.mjs")).toBe(`node '/home/o'\\''neil/my keeper/keeper.mjs'`);
    expect(invokedAs('node', undefined)).toBe('node');
  });
});

describe('the keeper’s key', () => {
  it('is looked for in --key-file, else systemd’s credentials, else Docker’s secrets', () => {
    expect(keyFileCandidates({ keyFile: '/k', credentialsDirectory: '/run/credentials/x' })).toEqual([{ path: '/k', explicit: true }]);
    expect(keyFileCandidates({ keyFile: null, credentialsDirectory: '/run/credentials/x' })).toEqual([
      { path: '/run/credentials/x/keeper-key', explicit: false },
      { path: '/run/secrets/keeper-key', explicit: false },
    ]);
    expect(userKeyFileCandidates({ userKeyFile: null, credentialsDirectory: undefined })).toEqual([{ path: '/run/secrets/user-key', explicit: false }]);
  });

  it('is 256 bits as base64 (what init-key writes), hex, or raw bytes; anything else is refused', () => {
    const key = randomBytes(32);
    expect(parseKeyFile(Buffer.from(keyFileText(key)))).toEqual({ ok: true, value: key });
    expect(parseKeyFile(Buffer.from(`${key.toString('hex')}\n`))).toEqual({ ok: true, value: key });
    expect(parseKeyFile(key)).toEqual({ ok: true, value: key });
    expect(parseKeyFile(Buffer.from(randomBytes(16).toString('base64')))).toMatchObject({ ok: false });
    expect(parseKeyFile(Buffer.from('password123'))).toMatchObject({ ok: false });
    expect(parseUserKeyFile(Buffer.from('sbx-user-key-4f1c9a7e\n'))).toEqual({ ok: true, value: 'sbx-user-key-4f1c9a7e' });
    expect(parseUserKeyFile(Buffer.from('two words'))).toMatchObject({ ok: false });
  });
});

describe('where a keeper keeps its secrets', () => {
  let dir: string | null = null;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
  const folder = () => join((dir ??= mkdtempSync(join(tmpdir(), 'd2c-keeper-secrets-'))), 'secrets');
  const input = (over: Partial<KeeperSecretInput>): KeeperSecretInput => ({ key: { kind: 'none' }, encryptedFolderExists: false, encryptedFolder: folder(), openEncrypted: (key) => createEncryptedFileSecretStore(folder(), key), secretService: null, logger: createMemoryLogger(), program: PROGRAM, probeTimeoutMs: 500, ...over });
  const keyBytes = Buffer.from(keyFileText(randomBytes(32)));

  it('a given key makes (or opens) the encrypted folder, even where a Secret Service answers', async () => {
    const memory = createMemorySecretStore();
    const chosen = await chooseKeeperSecrets(input({ key: { kind: 'found', path: '/k', bytes: keyBytes }, secretService: { name: 'Secret Service', create: () => memory } }));
    expect(chosen).toMatchObject({ ok: true, value: { kind: 'encrypted-file' } });
  });

  it('without a key, the Secret Service when it answers; never memory, never plaintext', async () => {
    const keychain: SecretStore = { ...createMemorySecretStore(), kind: 'keychain' };
    expect(await chooseKeeperSecrets(input({ secretService: { name: 'Secret Service', create: () => keychain } }))).toMatchObject({ ok: true, value: { kind: 'secret-service', store: keychain } });
    const broken: SecretStore = { ...keychain, set: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')) };
    const refused = await chooseKeeperSecrets(input({ secretService: { name: 'Secret Service', create: () => broken } }));
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining(`${PROGRAM} init-key`) });
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('Cannot autolaunch D-Bus') });
  });

  it('an encrypted folder needs its own key: none, another, or a broken key file stops the start', async () => {
    expect(await chooseKeeperSecrets(input({ key: { kind: 'found', path: '/k', bytes: keyBytes } }))).toMatchObject({ ok: true });
    expect(await chooseKeeperSecrets(input({ encryptedFolderExists: true }))).toMatchObject({ ok: false, error: expect.stringContaining('are encrypted and no key was given') });
    expect(await chooseKeeperSecrets(input({ key: { kind: 'found', path: '/other', bytes: Buffer.from(keyFileText(randomBytes(32))) } }))).toMatchObject({ ok: false, error: expect.stringContaining('The key in /other does not open') });
    expect(await chooseKeeperSecrets(input({ key: { kind: 'found', path: '/bad', bytes: Buffer.from('xyz') } }))).toMatchObject({ ok: false, error: expect.stringContaining('cannot be used') });
    expect(await chooseKeeperSecrets(input({ key: { kind: 'unreadable', path: '/k', reason: 'EACCES' } }))).toEqual({ ok: false, error: 'The key file /k cannot be read: EACCES.' });
  });
});

describe('what a keeper tells, and how', () => {
  const notice = { title: 'Prod <ops> & co needs you', body: 'Salesforce no longer accepts this sign-in. Click to re-authorize.', connectionIds: ['c1'], openDialogFor: 'c1' };

  it('a webhook gets Slack’s {text}, bold title, its control characters escaped, the keeper named', () => {
    expect(webhookBody(notice, 'keeper-1')).toEqual({ text: '*Prod &lt;ops&gt; &amp; co needs you*\nSalesforce no longer accepts this sign-in. Click to re-authorize.\n_keeper-1 (Data2CRM keeper)_' });
    expect(noticeFields(notice)).toEqual({ event: 'notice', title: notice.title, body: notice.body, connections: ['c1'] });
  });

  it('a webhook is https, or http on this machine only, with no credentials in the URL', () => {
    expect(checkWebhookUrl('https://hooks.slack.com/services/T/B/x')).toEqual({ ok: true, url: 'https://hooks.slack.com/services/T/B/x' });
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook')).toMatchObject({ ok: true });
    expect(checkWebhookUrl('http://chat.example.com/hook')).toMatchObject({ ok: false, message: expect.stringContaining('https') });
    expect(checkWebhookUrl('https://user:pw@hooks.example.com/x')).toMatchObject({ ok: false, message: expect.stringContaining('no user name or password') });
    expect(checkWebhookUrl('not a url')).toEqual({ ok: false, message: 'The webhook is not a URL.' });
  });

  it('pasted tokens: the access token, then the refresh token, nothing more', () => {
    expect(parsePastedTokens('00Dx!abc\n5Aep861xyz\n')).toEqual({ ok: true, value: { accessToken: '00Dx!abc', refreshToken: '5Aep861xyz' } });
    expect(parsePastedTokens('\r\n00Dx!abc\r\n')).toEqual({ ok: true, value: { accessToken: '00Dx!abc' } });
    expect(parsePastedTokens('')).toMatchObject({ ok: false });
    expect(parsePastedTokens('a\nb\nc')).toMatchObject({ ok: false });
  });
});

describe('health', () => {
  it('says which part is unusable, and one probe serves requests that come together', async () => {
    let stateBroken = false;
    let probes = 0;
    const store = createMemorySecretStore();
    const check = createHealthCheck({
      probeState: () => {
        probes++;
        if (stateBroken) throw new Error('database is locked');
      },
      secretStore: store,
    });
    expect(await check.check()).toEqual({ healthy: true, checks: { stateStore: 'ok', secretStore: 'ok' } });
    stateBroken = true;
    const [a, b] = await Promise.all([check.check(), check.check()]);
    expect(a).toBe(b);
    expect(probes).toBe(2);
    expect(a).toEqual({ healthy: false, checks: { stateStore: 'the state database cannot take a write: database is locked', secretStore: 'ok' } });
    const hanging = createHealthCheck({ probeState: () => undefined, secretStore: { ...store, set: () => new Promise(() => undefined) }, timeoutMs: 50 });
    expect((await hanging.check()).checks.secretStore).toMatch(/no answer within/);
    expect(await store.findAll()).toEqual([]);
  });
});
