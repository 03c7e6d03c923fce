/**
 * Everything the connection service needs, made of real parts: the sandbox over HTTP, keytar in
 * the private keychain (a unique service per harness), settings through conf in a temp folder,
 * the loopback listener, and Chromium acting as the user.
 */
import type { Browser } from '@playwright/test';
import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { systemClock } from '../../main/adapters/system-clock.js';
import { createConnectionQueue } from '../../main/core/connections/connection-queue.js';
import { createConnectionService } from '../../main/core/connections/connection-service.js';
import { createSecretVault } from '../../main/core/connections/secret-vault.js';
import type { SecretStore, SettingsFile, StateStore } from '../../main/core/ports.js';
import { openSettings } from '../../main/core/settings/settings-repository.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, type Sandbox } from '../sandbox/server.js';
import { createMemoryLogger } from './memory-logger.js';
import { createPlaywrightAuthBrowser } from './playwright-auth-browser.js';
import { externalTokens } from './sandbox-tokens.js';
import { stateDbText } from './state-db.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface HarnessOptions {
  captureNavigation?: boolean;
  /** Wrap the real keychain store (e.g. to fail one call). */
  wrapStore?: (store: SecretStore) => SecretStore;
  /** Wrap the real settings file (e.g. to fail one write). */
  wrapFile?: (file: SettingsFile) => SettingsFile;
  /** Wraps the state store (connection rows), e.g. to fail a write. */
  wrapState?: (state: StateStore) => StateStore;
  /** The folder for the settings file and the state database (a fresh temporary one by default). */
  dir?: string;
}

export async function createConnectHarness(sandbox: Sandbox, browser: Browser, options: HarnessOptions = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'd2c-settings-'));
  /** Stores a restarted core opened on these files: closed (their checkpoint workers too) before the folder goes. */
  const laterStores: StateStore[] = [];
  const settingsPath = join(dir, 'config.json');
  const realFile = createStoreSettingsFile(settingsPath, () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }));
  const file = options.wrapFile ? options.wrapFile(realFile) : realFile;
  const logger = createMemoryLogger();
  const statePath = join(dir, 'state.db');
  const realState = createSqliteStateStore(statePath);
  const state = options.wrapState ? options.wrapState(realState) : realState;
  const { repository: settings } = openSettings(file, logger, state);
  const callbackPort = await freePort();
  sandbox.control.addCallbackUrl(SAMPLE_CLIENT.clientId, `http://127.0.0.1:${callbackPort}/callback`);
  settings.update((s) => ({
    ...s,
    endpoints: { data2crmApiBase: sandbox.urls.data2crmApi, data2crmAuthBase: sandbox.urls.data2crmAuth, salesforceLoginHost: sandbox.urls.salesforceLogin },
    extraInstanceHosts: [new URL(sandbox.urls.origin).host],
    signIn: { ...s.signIn, callbackPort, timeoutMs: 60_000 },
  }));
  const service = `data2crm-tray-test-${randomUUID()}`;
  const keychain = createKeytarSecretStore(service);
  const store = options.wrapStore ? options.wrapStore(keychain) : keychain;
  const vault = createSecretVault(store);
  await vault.setUserKey(SAMPLE_USER_KEY);
  const authBrowser = createPlaywrightAuthBrowser(browser, { captureNavigation: options.captureNavigation ?? true });
  const queue = createConnectionQueue();
  const connections = createConnectionService({ settings, vault, listener: createLoopbackListener(), browser: authBrowser, clock: systemClock, logger, queue });
  return {
    /** Commits check times still waiting in the state store's commit window (as quitting does). */
    commitState: () => realState.commit(),
    /** A store opened on these files later (a restarted core's), closed at cleanup. */
    closeWithHarness: (later: StateStore) => void laterStores.push(later),
    /** A fresh app start on the same settings file and keychain (as after a crash past the store's commit window). */
    async restart() {
      realState.commit();
      const state = createSqliteStateStore(statePath);
      laterStores.push(state);
      const reopened = openSettings(realFile, logger, state).repository;
      const freshVault = createSecretVault(keychain);
      await freshVault.loadAll();
      return { settings: reopened, vault: freshVault, connections: createConnectionService({ settings: reopened, vault: freshVault, listener: createLoopbackListener(), browser: authBrowser, clock: systemClock, logger }) };
    },
    settings,
    settingsPath,
    /** The state database (connection rows, activity) next to the settings file. */
    statePath,
    /** The state store over it (the activity log writes there too). */
    state: realState,
    /** Shared by the connection service and a keep-alive harness, as compose shares it. */
    queue,
    /** The settings file and the state database as text, for scans that no secret reached them. */
    settingsText: () => (realState.commit(), readFileSync(settingsPath, 'utf8') + stateDbText(statePath)),
    store,
    vault,
    logger,
    authBrowser,
    connections,
    callbackPort,
    async cleanup() {
      await authBrowser.closeAll();
      for (const { account } of await keychain.findAll()) await keychain.delete(account);
      for (const later of laterStores) await later.close().catch(() => undefined);
      await realState.close().catch(() => undefined);
      if (!options.dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

export type ConnectHarness = Awaited<ReturnType<typeof createConnectHarness>>;

/** A working connection from pasted sandbox tokens, through the harness's own connection service; its id. */
export async function connectPasted(h: ConnectHarness, sandbox: Sandbox, label: string): Promise<string> {
  const t = await externalTokens(sandbox);
  const connected = await h.connections.connectManual({ label, crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken });
  if (!connected.ok) throw new Error(connected.error.message);
  return connected.value.id;
}
