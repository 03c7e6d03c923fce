/**
 * Opening a keeper's data folder: the folder (0700, one keeper at a time), its key, its secret
 * store, its state database and settings file, and the core composed over them with the server
 * adapters. What every keeper command starts with; it connects parts, the decisions are the core's.
 */
import Conf from 'conf';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { lockDataFolder, prepareDataFolder, readSmallFile } from '../adapters/data-folder.js';
import { createEncryptedFileSecretStore } from '../adapters/encrypted-file-secret-store.js';
import { diagnosticsIntoFolder, headlessBrowser, headlessClipboard, headlessListener, headlessLoginItem, refuseNewEndpoints } from '../adapters/headless.js';
import { keeperSecretService } from '../adapters/keeper-secret-service.js';
import { createSqliteStateStore } from '../adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../adapters/store-settings-file.js';
import { systemClock } from '../adapters/system-clock.js';
import { createUndiciTransport } from '../adapters/undici-transport.js';
import { hostname } from 'node:os';
import { composeCore, type Core } from '../core/compose.js';
import { applyKeeperConfig } from '../core/keeper/configure.js';
import { EXIT, invokedAs, type AddPasteOptions, type ConnectDeviceOptions, type HandbackOptions, type ReceiveOptions, type RunOptions } from '../core/keeper/options.js';
import { keyFileCandidates, MAX_KEY_FILE_BYTES, parseUserKeyFile, userKeyFileCandidates } from '../core/keeper/secret-key.js';
import { chooseKeeperSecrets, type FoundKey, type KeeperSecrets } from '../core/keeper/secret-storage.js';
import type { Notice } from '../core/keepalive/notification-policy.js';
import type { Logger } from '../core/ports.js';
import { openStateStoreWhenFree } from '../core/state-database/open-when-free.js';
import { stateDatabaseWaitingLine } from '../../shared/state-words.js';

export const PRODUCT = 'Data2CRM Keeper';
/** This keeper as it was started (`node /opt/data2crm-keeper/keeper.mjs`…): what its help and refusals tell a person to run. */
export const PROGRAM = invokedAs(process.argv0, process.argv[1]);
const SECRETS_FOLDER = 'secrets';

/** A start that cannot go on: plain words on stderr, an exit code, never a stack trace. */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.config,
  ) {
    super(message);
  }
}

export const say = (text: string) => process.stdout.write(`${text}\n`);
export const complain = (text: string) => process.stderr.write(`${text}\n`);

/**
 * The core's timers are unref'd (a desktop app quits with its windows): a keeper command holds its
 * process open itself until it is done (a running keeper until a signal, a device sign-in until its
 * last poll). The timer fires once in 24 days, which costs nothing.
 */
export function holdProcessOpen(): () => void {
  const timer = setInterval(() => undefined, 2 ** 31 - 1);
  return () => clearInterval(timer);
}

/**
 * Another program's lock (a backup tool, the sqlite3 shell) or a full disk delays the start, as on
 * the desktop: the reason is a log line (a keeper has no tray), never a file moved aside. The
 * retry timers are unref'd, so the process is held open while it waits.
 */
async function openStateDatabase(data: string, logger: Logger) {
  const release = holdProcessOpen();
  try {
    return await openStateStoreWhenFree(() => createSqliteStateStore(join(data, 'state.db')), {
      clock: systemClock,
      logger,
      onWaiting: (problem) => logger.warn(`state: ${stateDatabaseWaitingLine(problem)}`, { kind: problem }),
    });
  } finally {
    release();
  }
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

export interface OpenedKeeper {
  readonly core: Core;
  readonly secrets: KeeperSecrets;
  readonly stateStore: ReturnType<typeof createSqliteStateStore>;
  /** Commits, closes the state database (its checkpoint worker too), then releases the folder's lock. */
  close(): Promise<void>;
}

/** Everything a keeper command works on: the folder (locked), its secrets and state, the core. */
export type FolderOptions = RunOptions | AddPasteOptions | ConnectDeviceOptions | ReceiveOptions | HandbackOptions;

export async function openKeeper(options: FolderOptions, logger: Logger, notify: (notice: Notice) => void, quit: () => void): Promise<OpenedKeeper> {
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
      program: PROGRAM,
    });
    if (!secrets.ok) throw new Refusal(secrets.error);
    const userKey = findUserKey(options);
    const stateStore = await openStateDatabase(data, logger);
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
      http: createUndiciTransport(),
      notify,
      clipboard: headlessClipboard,
      saveDiagnostics: diagnosticsIntoFolder(data),
      loginItem: headlessLoginItem,
      closeWindow: () => undefined,
      quit,
      openInBrowser: () => logger.warn('a keeper has no browser to open an address in'),
      confirmEndpoints: refuseNewEndpoints,
      // A hand-back over its socket: the tray's record says where it came from; the keeper forgets it once the tray's receipt is in.
      handoverFace: { name: (options.command === 'run' ? options.name : null) ?? hostname(), afterwards: 'forget' },
    });
    await core.secretsLoaded;
    const configured = await applyKeeperConfig({ settings: core.settings, vault: core.vault, setUserKey: (key) => core.app.setUserKey(key) }, { sandbox: options.sandbox, userKey });
    if (!configured.ok) throw new Refusal(configured.error);
    for (const change of configured.value) core.logger.info(`configured: ${change}`);
    return {
      core,
      secrets: secrets.value,
      stateStore,
      async close() {
        try {
          // Renewal counts waiting in the activity log go with the store's last commit.
          core.activity.flush();
          await stateStore.close();
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

