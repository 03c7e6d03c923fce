/**
 * Composition root: builds the adapters, hands them to the core, wires IPC and the app lifecycle.
 * Decisions live in main/core; this file only connects parts.
 */
import { app, net } from 'electron';
import { join } from 'node:path';
import type { AppState } from './core/app-status.js';
import { summarize } from './core/app-summary.js';
import { assertNever } from './core/assert-never.js';
import { authNavigationDecision } from './core/auth/navigation-policy.js';
import { createConnectionService } from './core/connections/connection-service.js';
import { createSecretVault } from './core/connections/secret-vault.js';
import { chooseSecretStore } from './core/secrets/choose-secret-store.js';
import { loginBaseUrl } from './core/settings/endpoints.js';
import { openSettings } from './core/settings/settings-repository.js';
import { buildTrayModel, type TrayAction } from './core/tray-model.js';
import { createAuthWindowBrowser } from './adapters/auth-window.js';
import { createElectronSettingsFile } from './adapters/electron-settings-file.js';
import { createLoopbackListener } from './adapters/loopback-listener.js';
import { secretStoreCandidates } from './adapters/secret-store-candidates.js';
import { createSystemBrowser } from './adapters/system-browser.js';
import { systemClock } from './adapters/system-clock.js';
import type { AuthBrowser } from './core/ports.js';
import { createElectronLogger } from './adapters/logger.js';
import { bridgeIpcMain, sendToAllWindows } from './adapters/ipc-main-bridge.js';
import { registerAppScheme, RENDERER_ORIGIN, serveRenderer } from './adapters/app-protocol.js';
import { createSettingsWindowController } from './adapters/settings-window.js';
import { createTrayPresenter } from './adapters/tray.js';
import { createEventPublisher, createIpcDispatcher, createIpcHandlers, createSenderCheck, originOf } from './ipc/index.js';

const PRODUCT_NAME = 'Data2CRM Tray';

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    // Another instance owns the tray and the scheduler; it shows its settings (second-instance).
    app.quit();
    return;
  }
  registerAppScheme();
  const logger = createElectronLogger('main');
  const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  const rendererOrigin = devServerUrl ? (originOf(devServerUrl) ?? RENDERER_ORIGIN) : RENDERER_ORIGIN;
  const rendererUrl = devServerUrl ?? `${RENDERER_ORIGIN}/index.html`;
  const isTrustedSender = createSenderCheck([rendererOrigin]);

  const settingsWindow = createSettingsWindowController({
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    rendererUrl,
    isRendererUrl: (url) => originOf(url) === rendererOrigin,
  });

  app.on('second-instance', () => settingsWindow.show());
  // A tray app keeps running with every window closed.
  app.on('window-all-closed', () => undefined);

  void app.whenReady().then(async () => {
    app.dock?.hide();
    const { repository: settings, recovery } = openSettings(createElectronSettingsFile(), logger);
    if (recovery) logger.warn('settings recovered', { backupPath: recovery.backupPath });
    const { store: secretStore, status: storage } = await chooseSecretStore(secretStoreCandidates(), logger);
    const vault = createSecretVault(secretStore);
    await vault.loadAll();
    // Sign-in happens in the app's window or the system browser, as the settings say.
    const appWindow = createAuthWindowBrowser((url) => {
      const { endpoints, extraInstanceHosts } = settings.get();
      const login = loginBaseUrl(endpoints.salesforceLoginHost);
      const decision = authNavigationDecision(url, { signInOrigins: [endpoints.data2crmAuthBase, ...(login.ok ? [login.value] : []), ...extraInstanceHosts.map((h) => `https://${h}`)] });
      return decision === 'capture' ? 'allow' : decision;
    });
    const systemBrowser = createSystemBrowser();
    const authBrowser: AuthBrowser = {
      open: (url, options) => (settings.get().signIn.with === 'system-browser' ? systemBrowser : appWindow).open(url, options),
      forgetSession: (id) => appWindow.forgetSession(id),
    };
    const connections = createConnectionService({ settings, vault, listener: createLoopbackListener(), browser: authBrowser, clock: systemClock, logger, fetch: (url, init) => net.fetch(url, init) });
    void connections; // Driven from the settings window's connect wizard (desktop-app issue).
    serveRenderer(join(import.meta.dirname, '../renderer'));

    const handlers = createIpcHandlers({ appInfo: { name: PRODUCT_NAME, version: app.getVersion() } });
    bridgeIpcMain(createIpcDispatcher({ handlers, isTrustedSender, logger }));
    const events = createEventPublisher(sendToAllWindows);

    const state: AppState = { productName: PRODUCT_NAME, version: app.getVersion(), ...summarize(settings.get().connections, storage) };
    const runTrayAction = (action: TrayAction): void => {
      switch (action.type) {
        case 'open-settings':
          settingsWindow.show();
          return;
        case 'quit':
          settingsWindow.prepareToQuit();
          app.quit();
          return;
        default:
          assertNever(action, 'tray action');
      }
    };
    const tray = createTrayPresenter((status) => join(app.getAppPath(), 'resources', 'tray', `${status}.png`), runTrayAction);
    let trayModel = buildTrayModel(state);
    // Tray and open windows always show the same state.
    const showState = (next: AppState) => {
      trayModel = buildTrayModel(next);
      tray.render(trayModel);
      events.publish('app:status', { status: next.status, summary: next.summary });
    };
    showState(state);
    if (process.env['D2C_TEST_MODE'] === '1') {
      // Test-only hooks for the Electron end-to-end spec; absent in normal runs.
      Object.assign(globalThis, { __d2cTest: { trayModel: () => trayModel, runTrayAction } });
    }
    app.on('before-quit', () => {
      settingsWindow.prepareToQuit();
      tray.destroy();
    });
    logger.info('started', { version: app.getVersion() });
  });
}

main();
