/**
 * The app side of a hand-over test: a core composed as the app's (its own folder, the keychain in
 * the private Secret Service, SQLite, the settings file), one external connection of the sandbox's
 * sample connected app, and its local API on a socket as the running app serves it.
 */
import Conf from 'conf';
import keytar from 'keytar';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { headlessBrowser, headlessListener } from '../../main/adapters/headless.js';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';
import { startLocalApiServer, type LocalApiServer } from '../../main/adapters/local-api-server.js';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { systemClock } from '../../main/adapters/system-clock.js';
import { composeCore, type Core, type CorePorts } from '../../main/core/compose.js';
import { createLocalApi } from '../../main/local-api/index.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, type Sandbox } from '../sandbox/server.js';
import { quietDesktopPorts } from './harness-core.js';
import { createMemoryLogger } from './memory-logger.js';
import { externalTokens } from './sandbox-tokens.js';

export interface HandoverApp {
  readonly core: Core;
  readonly logger: ReturnType<typeof createMemoryLogger>;
  readonly id: string;
  readonly applicationKey: string;
  /** The app's local API socket (`data2crm-tray --socket …`). */
  readonly socket: string;
  /** The connection's tokens as the app held them before any hand-over (for leak checks). */
  readonly tokens: readonly string[];
  close(): Promise<void>;
}

/** A start of the app's core over `appDir` and the keychain service (run again for a restart), headless. */
export async function composeAppCore(appDir: string, service: string, logger = createMemoryLogger(), extra: Partial<CorePorts> = {}): Promise<Core> {
  mkdirSync(appDir, { recursive: true });
  const core = await composeCore({
    appInfo: { name: 'Data2CRM Tray', version: '0.1.0' },
    platform: 'test',
    settingsFile: createStoreSettingsFile(join(appDir, 'config.json'), () => new Conf<Record<string, unknown>>({ cwd: appDir, configName: 'config' })),
    stateStore: createSqliteStateStore(join(appDir, 'state.db')),
    secretStores: [{ name: 'keychain', create: () => createKeytarSecretStore(service) }],
    listener: headlessListener,
    appWindow: headlessBrowser,
    systemBrowser: headlessBrowser,
    clock: systemClock,
    logger,
    ...quietDesktopPorts,
    ...extra,
  });
  await core.secretsLoaded;
  return core;
}

export async function startHandoverApp(dir: string, sandbox: Sandbox, service: string): Promise<HandoverApp> {
  const appDir = join(dir, 'app');
  mkdirSync(join(appDir, 'run'), { recursive: true, mode: 0o700 });
  const logger = createMemoryLogger();
  const core = await composeAppCore(appDir, service, logger, { handoverFace: { name: 'the tray on laptop-7', afterwards: 'show-as-kept' } });
  core.settings.update((s) => ({ ...s, endpoints: { data2crmApiBase: sandbox.urls.data2crmApi, data2crmAuthBase: sandbox.urls.data2crmAuth, salesforceLoginHost: sandbox.urls.salesforceLogin }, extraInstanceHosts: [new URL(sandbox.urls.origin).host] }));
  await core.vault.setUserKey(SAMPLE_USER_KEY);
  const tokens = await externalTokens(sandbox);
  const made = await core.connections.connectExternalWithTokens({ label: 'Production', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken!, instanceUrl: tokens.instanceUrl, issuedAt: tokens.issuedAt } });
  if (!made.ok) throw new Error(made.error.message);
  core.keepAlive.track(made.value);
  core.keepAlive.start();
  const socket = join(appDir, 'run', 'local-api.sock');
  const server: LocalApiServer | null = await startLocalApiServer({ socketPath: socket, ...createLocalApi({ appInfo: { name: 'Data2CRM Tray', version: '0.1.0' }, app: core.app, logger, face: 'app' }), logger });
  if (!server) throw new Error('the app’s local API did not start');
  return {
    core,
    logger,
    id: made.value.id,
    applicationKey: made.value.applicationKey!,
    socket,
    tokens: [tokens.accessToken, tokens.refreshToken!],
    async close() {
      await server.close();
      core.keepAlive.stop();
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    },
  };
}
