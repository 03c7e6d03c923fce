/**
 * The keeper's composition root, main/index.ts's sibling for a server: the same core
 * (composeCore) under plain Node 24, no Electron, with server adapters: secrets in the Secret
 * Service or an AES-256-GCM folder, state in SQLite in the data folder, JSON log lines on stdout,
 * notifications to a webhook, /healthz and /metrics on a loopback port, the desktop's ports
 * answered headlessly. Decisions live in main/core (keeper/ among them); this file connects parts.
 */
import Conf from 'conf';
import { existsSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import packageJson from '../package.json' with { type: 'json' };
import { lockDataFolder, prepareDataFolder, readSmallFile, writeNewFile, writeNewKeyFile } from './adapters/data-folder.js';
import { createEncryptedFileSecretStore } from './adapters/encrypted-file-secret-store.js';
import { diagnosticsIntoFolder, headlessBrowser, headlessClipboard, headlessListener, headlessLoginItem, refuseNewEndpoints } from './adapters/headless.js';
import { createJsonLineLogger } from './adapters/json-line-logger.js';
import { keeperSecretService } from './adapters/keeper-secret-service.js';
import { startMetricsServer } from './adapters/metrics-server.js';
import { createSqliteStateStore } from './adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from './adapters/store-settings-file.js';
import { systemClock } from './adapters/system-clock.js';
import { createWebhookPoster } from './adapters/webhook-poster.js';
import { composeCore, type Core } from './core/compose.js';
import { applyKeeperConfig } from './core/keeper/configure.js';
import { createHealthCheck } from './core/keeper/health.js';
import { stopKeeping } from './core/keeper/lifecycle.js';
import { checkWebhookUrl, noticeFields, webhookBody } from './core/keeper/notices.js';
import { EXIT, parseKeeperCommand, type AddPasteOptions, type ConnectDeviceOptions, type HandbackOptions, type InitKeyOptions, type ReceiveOptions, type RunOptions } from './core/keeper/options.js';
import { keyFileCandidates, keyFileText, MAX_KEY_FILE_BYTES, parseUserKeyFile, userKeyFileCandidates } from './core/keeper/secret-key.js';
import { chooseKeeperSecrets, type FoundKey, type KeeperSecrets } from './core/keeper/secret-storage.js';
import { createKeeperTelemetry } from './core/keeper/telemetry.js';
import { createKeeperConnect, MAX_PASTE_BYTES, type ConnectedApp } from './core/keeper/connect.js';
import { MAX_PACKAGE_CHARS } from './core/handover/package.js';
import type { Notice } from './core/keepalive/notification-policy.js';
import type { Logger } from './core/ports.js';
import { redactText } from './core/redact.js';

const PRODUCT = 'Data2CRM Keeper';
const SECRETS_FOLDER = 'secrets';

/** A start that cannot go on: plain words on stderr, an exit code, never a stack trace. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.config,
  ) {
    super(message);
  }
}

const say = (text: string) => process.stdout.write(`${text}\n`);
const complain = (text: string) => process.stderr.write(`${text}\n`);

/**
 * The core's timers are unref'd (a desktop app quits with its windows): a keeper command holds its
 * process open itself until it is done (a running keeper until a signal, a device sign-in until its
 * last poll). The timer fires once in 24 days, which costs nothing.
 */
function holdProcessOpen(): () => void {
  const timer = setInterval(() => undefined, 2 ** 31 - 1);
  return () => clearInterval(timer);
}

/** The first key file that exists among the candidates; an explicit one must exist. */
function findKey(options: { keyFile: string | null }): FoundKey {
  for (const candidate of keyFileCandidates({ keyFile: options.keyFile, credentialsDirectory: process.env['CREDENTIALS_DIRECTORY'] })) {
    const read = readSmallFile(candidate.path, MAX_KEY_FILE_BYTES);
    if (!read.ok) return { kind: 'unreadable', path: candidate.path, reason: read.reason };
    if (read.bytes) return { kind: 'found', path: candidate.path, bytes: read.bytes };
    if (candidate.explicit) return { kind: 'unreadable', path: candidate.path, reason: 'it does not exist' };
  }
  return { kind: 'none' };
}

function findUserKey(options: { userKeyFile: string | null }): string | null {
  for (const candidate of userKeyFileCandidates({ userKeyFile: options.userKeyFile, credentialsDirectory: process.env['CREDENTIALS_DIRECTORY'] })) {
    const read = readSmallFile(candidate.path, MAX_KEY_FILE_BYTES);
    if (!read.ok) throw new Refusal(`The user key file ${candidate.path} cannot be read: ${read.reason}.`);
    if (!read.bytes) {
      if (candidate.explicit) throw new Refusal(`The user key file ${candidate.path} does not exist.`);
      continue;
    }
    const key = parseUserKeyFile(read.bytes);
    if (!key.ok) throw new Refusal(`The user key file ${candidate.path} cannot be used: ${key.error}.`);
    return key.value;
  }
  return null;
}

interface OpenedKeeper {
  readonly core: Core;
  readonly secrets: KeeperSecrets;
  readonly stateStore: ReturnType<typeof createSqliteStateStore>;
  close(): void;
}

/** Everything a keeper command works on: the folder (locked), its secrets and state, the core. */
type FolderOptions = RunOptions | AddPasteOptions | ConnectDeviceOptions | ReceiveOptions | HandbackOptions;

async function openKeeper(options: FolderOptions, logger: Logger, notify: (notice: Notice) => void, quit: () => void): Promise<OpenedKeeper> {
  const data = options.data;
  try {
    prepareDataFolder(data);
  } catch (error) {
    throw new Refusal(`The data folder ${data} cannot be used (${(error as NodeJS.ErrnoException).code ?? 'unusable'}): it must be a folder this user may create and write.`);
  }
  const lock = lockDataFolder(data);
  if (!lock.ok) throw new Refusal(`Another keeper (process ${lock.pid}) is using ${data}; one keeper per data folder.`);
  try {
    const secretsFolder = join(data, SECRETS_FOLDER);
    const secrets = await chooseKeeperSecrets({
      key: findKey(options),
      encryptedFolderExists: existsSync(join(secretsFolder, 'key-check')),
      encryptedFolder: secretsFolder,
      openEncrypted: (key) => createEncryptedFileSecretStore(secretsFolder, key),
      secretService: keeperSecretService(data),
      logger,
    });
    if (!secrets.ok) throw new Refusal(secrets.error);
    const userKey = findUserKey(options);
    const stateStore = createSqliteStateStore(join(data, 'state.db'), { onCommitFailed: (error) => logger.error('state: a commit failed; it is tried again', { error }) });
    const core = await composeCore({
      appInfo: { name: PRODUCT, version: packageJson.version },
      platform: `${process.platform} ${process.arch}, Node ${process.version}, keeper`,
      settingsFile: createStoreSettingsFile(join(data, 'settings.json'), () => new Conf<Record<string, unknown>>({ cwd: data, configName: 'settings', configFileMode: 0o600 })),
      stateStore,
      secretStores: [{ name: secrets.value.detail, create: () => secrets.value.store }],
      listener: headlessListener,
      appWindow: headlessBrowser,
      systemBrowser: headlessBrowser,
      clock: systemClock,
      logger,
      fetch: (url, init) => fetch(url, init),
      notify,
      clipboard: headlessClipboard,
      saveDiagnostics: diagnosticsIntoFolder(data),
      loginItem: headlessLoginItem,
      closeWindow: () => undefined,
      quit,
      openInBrowser: () => logger.warn('a keeper has no browser to open an address in'),
      confirmEndpoints: refuseNewEndpoints,
    });
    await core.secretsLoaded;
    const configured = await applyKeeperConfig({ settings: core.settings, vault: core.vault, setUserKey: (key) => core.app.setUserKey(key) }, { sandbox: options.sandbox, userKey });
    if (!configured.ok) throw new Refusal(configured.error);
    for (const change of configured.value) core.logger.info(`configured: ${change}`);
    return {
      core,
      secrets: secrets.value,
      stateStore,
      close() {
        try {
          stateStore.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function resolveWebhook(options: RunOptions): string | null {
  let text = options.webhook;
  if (options.webhookFile) {
    const read = readSmallFile(options.webhookFile, 4096);
    if (!read.ok || !read.bytes) throw new Refusal(`The webhook file ${options.webhookFile} cannot be read${read.ok ? ': it does not exist' : `: ${read.reason}`}.`, EXIT.config);
    text = read.bytes.toString('utf8').trim();
  }
  if (text === null) return null;
  const checked = checkWebhookUrl(text);
  if (!checked.ok) throw new Refusal(checked.message);
  return checked.url;
}

async function run(options: RunOptions): Promise<number> {
  const logger = createJsonLineLogger((line) => process.stdout.write(line));
  const webhookUrl = resolveWebhook(options);
  const name = options.name ?? hostname();
  const webhook = webhookUrl ? createWebhookPoster(webhookUrl, { logger }) : null;
  let stopping: Promise<number> | null = null;
  let stop: () => Promise<number> = async () => EXIT.ok;
  const notify = (notice: Notice) => {
    logger.warn(notice.title, noticeFields(notice));
    webhook?.send(webhookBody(notice, name));
  };
  const keeper = await openKeeper(options, logger, notify, () => void stop());
  const { core } = keeper;
  const log = core.logger;
  core.keepAlive.subscribe((event) => log.info('connection changed', { event: 'connection', connection: event.connectionId, label: event.label, kind: event.kind, from: event.from, to: event.to, detail: event.detail }));
  const telemetry = createKeeperTelemetry({ keepAlive: core.keepAlive, settings: core.settings, clock: systemClock });
  const health = createHealthCheck({ probeState: () => keeper.stateStore.probe?.(), secretStore: keeper.secrets.store });
  const metrics = options.metricsPort === null ? null : await startMetricsServer(options.metricsPort, { snapshot: telemetry.snapshot, health: health.check, info: { version: packageJson.version, secretStore: keeper.secrets.kind } });
  if (metrics) log.info('metrics: serving /healthz and /metrics', { address: `127.0.0.1:${metrics.port}`, port: metrics.port });

  stop = () =>
    (stopping ??= (async () => {
      await stopKeeping({ keepAlive: core.keepAlive, close: () => keeper.close(), logger: log });
      await metrics?.close();
      await webhook?.settled();
      return EXIT.ok;
    })());
  core.keepAlive.start();
  const release = holdProcessOpen();
  if (process.env['D2C_TEST_MODE'] === '1') Object.assign(globalThis, { __d2cKeeperTest: { whenIdle: () => core.keepAlive.whenIdle() } });
  log.info('keeper started', { version: packageJson.version, name, data: options.data, storage: keeper.secrets.kind, connections: core.settings.connectionCount() });
  const signalled = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info('stopping', { signal: signalled });
  release();
  return stop();
}

function initKey(options: InitKeyOptions): number {
  const written = writeNewKeyFile(options.keyFile, keyFileText);
  if (!written.ok) throw new Refusal(`No key was written to ${options.keyFile}: ${written.reason}.`, EXIT.failed);
  say(`A new 256-bit key is in ${options.keyFile} (mode 0600). Give it to the keeper with --key-file ${options.keyFile}, systemd's LoadCredential=keeper-key:${options.keyFile}, or a Docker secret named keeper-key. Keep a copy somewhere safe: without it the secrets cannot be read.`);
  return EXIT.ok;
}

/** stdin, at most `max` bytes (tokens for `keeper add --paste`). */
async function readStdin(max: number): Promise<string> {
  if (process.stdin.isTTY) complain('Paste the access token, Enter, then the refresh token (optional), Enter, then Ctrl+D.');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > max) throw new Refusal('That is more than two tokens: nothing was added.', EXIT.failed);
  }
  return text;
}

/** The connected app named on the command line; its secret from a file, never from argv. */
function connectedApp(options: AddPasteOptions | ConnectDeviceOptions): ConnectedApp | null {
  if (!options.clientId) return null;
  let clientSecret: string | undefined;
  if (options.clientSecretFile) {
    const read = readSmallFile(options.clientSecretFile, 4096);
    if (!read.ok || !read.bytes) throw new Refusal(`The client secret file ${options.clientSecretFile} cannot be read${read.ok ? ': it does not exist' : `: ${read.reason}`}.`, EXIT.failed);
    clientSecret = read.bytes.toString('utf8').trim();
  }
  return { clientId: options.clientId, ...(clientSecret ? { clientSecret } : {}), ...(options.loginHost ? { loginHost: options.loginHost } : {}) };
}

async function addPasted(options: AddPasteOptions, core: Core): Promise<number> {
  const pasted = await readStdin(MAX_PASTE_BYTES);
  const result = await createKeeperConnect(core).addPasted({ label: options.label, crmType: options.crmType, instanceUrl: options.instanceUrl, pasted, app: connectedApp(options) });
  (result.ok ? say : complain)(result.message ?? (result.ok ? 'Added.' : 'Not added.'));
  return result.ok ? EXIT.ok : EXIT.failed;
}

async function connectDevice(options: ConnectDeviceOptions, core: Core): Promise<number> {
  const cancel = new AbortController();
  process.once('SIGINT', () => cancel.abort());
  const result = await createKeeperConnect(core).connectDevice(
    { label: options.label, crmType: options.crmType, app: connectedApp(options)! },
    (prompt) => {
      say(`To connect, open ${prompt.verificationUri} on any device, sign in to Salesforce and enter the code:`);
      say(`Code: ${prompt.userCode}`);
      say(`(valid until ${new Date(prompt.expiresAt).toLocaleTimeString()}; waiting…)`);
    },
    cancel.signal,
  );
  (result.ok ? say : complain)(result.message ?? (result.ok ? 'Connected.' : 'Not connected.'));
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** A small secret from a file (bounded), or stdin when no file is named. */
async function secretInput(file: string | null, what: string): Promise<string> {
  if (!file) return (await readStdin(4096)).trim();
  const read = readSmallFile(file, 4096);
  if (!read.ok || !read.bytes) throw new Refusal(`The ${what} file ${file} cannot be read${read.ok ? ': it does not exist' : `: ${read.reason}`}.`, EXIT.failed);
  return read.bytes.toString('utf8').trim();
}

async function receive(options: ReceiveOptions, core: Core): Promise<number> {
  const read = readSmallFile(options.file, MAX_PACKAGE_CHARS);
  if (!read.ok || !read.bytes) throw new Refusal(`The hand-over file ${options.file} cannot be read${read.ok ? ': it does not exist' : `: ${read.reason}`}.`, EXIT.failed);
  const passphrase = await secretInput(options.passphraseFile, 'passphrase');
  const received = await core.handover.receive(read.bytes.toString('utf8'), passphrase);
  if (!received.ok) {
    complain(received.error);
    return EXIT.failed;
  }
  say(`${received.value.again ? 'Already taken' : 'Taken'}: ${received.value.record.label} (${received.value.record.id}); this keeper renews it from now on.`);
  say(`Receipt: ${received.value.receipt}   (give it to the tray to finish the hand-over)`);
  return EXIT.ok;
}

async function handback(options: HandbackOptions, core: Core): Promise<number> {
  const step = options.step;
  if (step.kind === 'begin') {
    const sealed = await core.handover.begin(options.connection, { from: step.name ?? hostname(), to: step.to });
    if (!sealed.ok) {
      complain(sealed.error);
      return EXIT.failed;
    }
    const written = writeNewFile(step.out, sealed.value.sealed);
    if (!written.ok) {
      // Nothing left this machine: the keeper renews it again.
      await core.handover.cancel(options.connection);
      throw new Refusal(`Nothing was handed back: ${step.out} could not be written (${written.reason}).`, EXIT.failed);
    }
    say(`Sealed into ${step.out}; this keeper no longer renews it. Passphrase (shown once): ${sealed.value.passphrase}`);
    say(`Then: keeper handback --connection ${options.connection} --complete --receipt CODE (the code the tray shows when it takes the file).`);
    return EXIT.ok;
  }
  const result = step.kind === 'complete' ? await core.handover.complete(options.connection, step.receipt, 'forget') : await core.handover.cancel(options.connection);
  (result.ok ? say : complain)(result.message ?? '');
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** A one-shot command on the data folder (the keeper must not be running on it: the lock says). */
async function once<T extends Exclude<FolderOptions, RunOptions>>(options: T, work: (options: T, core: Core) => Promise<number>): Promise<number> {
  // One-shot commands talk to a person: log lines go to stderr, the answer to stdout.
  const logger = createJsonLineLogger((line) => process.stderr.write(line), { minLevel: 'warn' });
  const keeper = await openKeeper(options, logger, (notice) => logger.warn(notice.title, noticeFields(notice)), () => undefined);
  const release = holdProcessOpen();
  try {
    return await work(options, keeper.core);
  } finally {
    release();
    keeper.core.keepAlive.stop();
    keeper.close();
  }
}

export async function keeperMain(argv: readonly string[]): Promise<number> {
  const parsed = parseKeeperCommand(argv, process.env);
  if (!parsed.ok) {
    complain(`${parsed.error.message}\n\n${parsed.error.help}`);
    return EXIT.usage;
  }
  const command = parsed.value;
  try {
    switch (command.command) {
      case 'help':
        say(command.text);
        return EXIT.ok;
      case 'init-key':
        return initKey(command);
      case 'run':
        return await run(command);
      case 'add':
        return await once(command, addPasted);
      case 'connect':
        return await once(command, connectDevice);
      case 'receive':
        return await once(command, receive);
      case 'handback':
        return await once(command, handback);
    }
  } catch (error) {
    if (error instanceof Refusal) {
      complain(error.message);
      return error.code;
    }
    const what = error instanceof Error ? `${error.name}: ${redactText(error.message.split('\n')[0] ?? '')}` : 'unknown';
    complain(`${PRODUCT} stopped on an unexpected error (${what}). Nothing that was committed is lost; start it again, and report this if it repeats.`);
    return EXIT.failed;
  }
}

// Run as a program (the bundle, `npm run keeper`), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  void keeperMain(process.argv.slice(2)).then((code) => process.exit(code));
}
