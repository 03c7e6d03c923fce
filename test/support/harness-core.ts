/**
 * The whole core as the app composes it, for Node tests: the desktop ports that no Node test looks
 * at answer quietly (no notification shown, no dialog, addresses never confirmed), and
 * `composeOverHarness` starts the core on a connect harness's settings file, state and browser.
 */
import Conf from 'conf';
import { dirname, join } from 'node:path';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { systemClock } from '../../main/adapters/system-clock.js';
import { composeCore, type CorePorts } from '../../main/core/compose.js';
import type { SecretStore } from '../../main/core/ports.js';
import { openStateStoreWhenFree, type OpenWhenFreeDeps } from '../../main/core/state-database/open-when-free.js';
import type { Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from './connect-harness.js';
import type { FakeClock } from './fake-clock.js';

export const quietDesktopPorts = {
  notify: () => undefined,
  clipboard: { writeText: () => undefined },
  saveDiagnostics: async () => null,
  loginItem: { get: () => false, set: () => undefined },
  closeWindow: () => undefined,
  quit: () => undefined,
  openInBrowser: () => undefined,
  // No test here changes addresses: a question would be a bug, so the answer is no.
  confirmEndpoints: async () => false,
} satisfies Partial<CorePorts>;

/**
 * A fresh app start over the harness's files and the given keychain (after the harness's writes
 * were committed, as a quit does), opening the state database as the app does: waiting while
 * another program holds it (`waiting` hears what the tray would show).
 */
export async function composeOverHarness(h: ConnectHarness, store: SecretStore, extra: Partial<CorePorts> = {}, waiting: Pick<OpenWhenFreeDeps, 'onWaiting' | 'quietForMs'> = {}) {
  const dir = dirname(h.settingsPath);
  h.commitState();
  const stateStore = await openStateStoreWhenFree(() => createSqliteStateStore(join(dir, 'state.db')), { clock: systemClock, logger: h.logger, ...waiting });
  h.closeWithHarness(stateStore);
  return composeCore({
    appInfo: { name: 'Data2CRM Tray', version: '0.1.0' },
    platform: 'test',
    settingsFile: createStoreSettingsFile(h.settingsPath, () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' })),
    stateStore,
    secretStores: [{ name: 'keychain', create: () => store }],
    listener: createLoopbackListener(),
    appWindow: h.authBrowser,
    systemBrowser: h.authBrowser,
    clock: systemClock,
    logger: h.logger,
    ...quietDesktopPorts,
    ...extra,
  });
}

/**
 * Moves a composed core's fake clock timer by timer, each keep-alive run finished against the
 * sandbox, whose clock follows (as the keep-alive harness's `advance`).
 */
export async function advanceCore(core: { keepAlive: { whenIdle(): Promise<void> } }, clock: FakeClock, sandbox: Sandbox, ms: number): Promise<void> {
  const target = clock.monotonic() + ms;
  const sync = () => sandbox.control.setClockOffset(clock.real() - Date.now());
  for (;;) {
    const next = clock.nextTimerAt();
    if (next === null || next > target) break;
    clock.advance(next - clock.monotonic());
    sync();
    await new Promise((r) => setTimeout(r, 0));
    await core.keepAlive.whenIdle();
  }
  clock.advance(target - clock.monotonic());
  sync();
}
