/** The whole core over bench parts: conf settings in a temp folder, a chosen secret store, the sandbox. */
import Conf from 'conf';
import { join } from 'node:path';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { createSqliteStateStore, type SqliteStateStoreOptions } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { systemClock } from '../../main/adapters/system-clock.js';
import { composeCore } from '../../main/core/compose.js';
import type { AuthBrowser, Clock, HttpTransport, SecretStore, StateStore } from '../../main/core/ports.js';
import { buildTrayModel } from '../../main/core/tray-model.js';
import { eventChannels } from '../../preload/contract.js';
import { quietDesktopPorts } from '../support/harness-core.js';
import { createMemoryLogger } from '../support/memory-logger.js';

const noBrowser: AuthBrowser = {
  open: () => ({ outcome: new Promise(() => undefined), close: () => undefined }),
  forgetSession: async () => undefined,
};

/**
 * Subscribed as main/index.ts is, so every change costs what it costs in the app: the tray
 * presenter the app runs (main/adapters/tray.ts over the Electron stand-in's Tray and Menu, its
 * minute timer on the bench's clock) shown the model from the app service's few urgent rows, and
 * for a visible window the contract's parse and the IPC serialization of the delta (`onSent`
 * gets its size).
 */
export interface BenchCoreOptions {
  readonly clock?: Clock;
  readonly wrapState?: (state: StateStore) => StateStore;
  readonly onSent?: (bytes: number) => void;
  /** The state database's timers (commit window, checkpoints) on the bench's clock, and the like. */
  readonly stateOptions?: SqliteStateStoreOptions;
  /**
   * The app's tray presenter over the Electron stand-in (default); false: the tray model alone
   * (under Vitest, whose module runner does not take Node's resolve hook for 'electron').
   */
  readonly presenter?: boolean;
  /** The HTTP transport (default: the core's own, Node's global fetch, standing in for the app's net.fetch). */
  readonly http?: HttpTransport;
}

/** The app's tray presenter, its 'electron' import resolved to the stand-in (test/bench/electron-hook.ts). */
async function trayPresenter(clock: Clock) {
  await import('./electron-hook.js');
  const { createTrayPresenter } = await import('../../main/adapters/tray.js');
  return createTrayPresenter((status) => `resources/tray/${status}.png`, () => undefined, clock, 'linux');
}

export async function composeForBench(dir: string, store: SecretStore, options: BenchCoreOptions = {}) {
  const { clock = systemClock, wrapState = (state) => state, onSent = () => undefined } = options;
  const sqlite = createSqliteStateStore(join(dir, 'state.db'), options.stateOptions);
  const stateStore = wrapState(sqlite);
  const core = await composeCore({
    appInfo: { name: 'Data2CRM Tray', version: '0.0.0' },
    platform: 'bench',
    settingsFile: createStoreSettingsFile(join(dir, 'settings.json'), () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings' })),
    stateStore,
    secretStores: [{ name: 'bench store', create: () => store }],
    listener: createLoopbackListener(),
    appWindow: noBrowser,
    systemBrowser: noBrowser,
    clock,
    logger: createMemoryLogger(),
    ...quietDesktopPorts,
    random: () => 0.5,
    ...(options.http ? { http: options.http } : {}),
  });
  const tray = options.presenter === false ? null : await trayPresenter(clock);
  const model = (now: number) => buildTrayModel(core.app.trayState({ productName: 'Data2CRM Tray', version: '0.0.0' }, now));
  const renderTray = () => (tray ? tray.show(model) : JSON.stringify(model(clock.now()).items));
  core.app.subscribe((delta) => {
    renderTray();
    onSent(JSON.stringify(eventChannels['state:changed'].parse(delta)).length);
  });
  renderTray();
  // The store too: a measurement ends with its commit, so routine writes still waiting are counted.
  return Object.assign(core, { stateStore, sqlite, tray });
}
