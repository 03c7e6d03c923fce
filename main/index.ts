/**
 * Composition root: builds the adapters, hands them to the core (main/core/compose.ts), wires IPC,
 * the tray and the app lifecycle. Decisions live in main/core; this file only connects parts.
 */
import { app, clipboard, dialog, net, powerMonitor, shell } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import { assertNever } from './core/assert-never.js';
import { authWindowNavigation } from './core/auth/navigation-policy.js';
import { composeCore } from './core/compose.js';
import type { Settings } from './core/settings/schema.js';
import { opensSettingsAtStart } from './core/start-window.js';
import { buildTrayModel, type TrayAction, type TrayModel } from './core/tray-model.js';
import { registerAppScheme, RENDERER_ORIGIN, serveRenderer } from './adapters/app-protocol.js';
import { createAuthWindowBrowser } from './adapters/auth-window.js';
import { createDesktopNotifier } from './adapters/desktop-notifier.js';
import { confirmEndpointsWithDialog } from './adapters/endpoint-dialog.js';
import { createElectronSettingsFile } from './adapters/electron-settings-file.js';
import { anyWindowVisible, bridgeIpcMain, sendToVisibleWindows } from './adapters/ipc-main-bridge.js';
import { createElectronLogger } from './adapters/logger.js';
import { createLoginItem } from './adapters/login-item.js';
import { createLoopbackListener } from './adapters/loopback-listener.js';
import { saveDiagnosticsWithDialog } from './adapters/save-diagnostics.js';
import { secretStoreCandidates } from './adapters/secret-store-candidates.js';
import { createAppWindows } from './adapters/app-windows.js';
import { createSqliteStateStore } from './adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from './adapters/store-settings-file.js';
import { createSystemBrowser, openInSystemBrowser } from './adapters/system-browser.js';
import { systemClock } from './adapters/system-clock.js';
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
  // Set once the core is up: a window shown again gets the whole state (hidden ones get nothing).
  let sendStateToShownWindow = (): void => undefined;
  const windows = createAppWindows({
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    rendererUrl: devServerUrl ?? `${RENDERER_ORIGIN}/index.html`,
    isRendererUrl: (url) => originOf(url) === rendererOrigin,
    onShown: () => sendStateToShownWindow(),
  });
  app.on('second-instance', () => void app.whenReady().then(() => windows.showSettings()));
  // A tray app keeps running with every window closed.
  app.on('window-all-closed', () => undefined);

  void app.whenReady().then(async () => {
    app.dock?.hide();
    serveRenderer(join(import.meta.dirname, '../renderer'));
    const userData = app.getPath('userData');
    let currentSettings: () => Settings = () => {
      throw new Error('settings not loaded yet');
    };
    const loginItem = createLoginItem();
    // SQLite's words (e.g. "database or disk is full"): they never carry a written value.
    const sqliteWords = (error: unknown) => ({ error: error instanceof Error ? error.message : typeof error });
    const stateStore = createSqliteStateStore(join(userData, 'state.db'), {
      onCommitFailed: (error) => logger.error('state: a commit of check times failed; it is tried again', sqliteWords(error)),
    });
    const core = await composeCore({
      appInfo: { name: PRODUCT_NAME, version: app.getVersion() },
      platform: `${process.platform} ${process.arch}, Electron ${process.versions.electron}`,
      settingsFile: createElectronSettingsFile(),
      stateStore,
      legacyActivityFile: createStoreSettingsFile(join(userData, 'activity.json'), () => new ElectronStore<Record<string, unknown>>({ cwd: userData, name: 'activity', clearInvalidConfig: false })),
      secretStores: secretStoreCandidates(),
      listener: createLoopbackListener(),
      appWindow: createAuthWindowBrowser(authWindowNavigation(() => currentSettings())),
      systemBrowser: createSystemBrowser(),
      clock: systemClock,
      logger,
      fetch: (url, init) => net.fetch(url, init),
      notify: createDesktopNotifier({ dialog: (connectionId) => windows.showDialog(connectionId), attention: () => windows.showAttention(), account: () => windows.showSettings('account') }),
      clipboard: { writeText: (text) => clipboard.writeText(text) },
      saveDiagnostics: saveDiagnosticsWithDialog,
      loginItem,
      closeWindow: () => windows.closeFocused(),
      quit: () => {
        windows.prepareToQuit();
        app.quit();
      },
      openInBrowser: openInSystemBrowser,
      confirmEndpoints: confirmEndpointsWithDialog,
    });
    const { settings, keepAlive, app: service } = core;
    // From here on, log through the core's redacting logger.
    const log = core.logger;
    currentSettings = () => settings.get();
    if (core.recovery) void dialog.showMessageBox({ type: 'warning', message: 'Some settings could not be read', detail: core.recovery.message });

    bridgeIpcMain(createIpcDispatcher({ handlers: createIpcHandlers({ appInfo: { name: PRODUCT_NAME, version: app.getVersion() }, app: service }), isTrustedSender: createSenderCheck([rendererOrigin]), logger: log }));
    const events = createEventPublisher(sendToVisibleWindows, anyWindowVisible);

    const runTrayAction = async (action: TrayAction): Promise<void> => {
      switch (action.type) {
        case 'open-settings':
          windows.showSettings();
          return;
        case 'connect':
          windows.showSettings('connect');
          return;
        case 'quit':
          service.quit();
          return;
        case 'pause':
          service.setPaused(true, action.forMs);
          return;
        case 'resume':
          service.setPaused(false);
          return;
        case 'set-open-at-login':
          loginItem.set(action.enabled);
          renderTray();
          return;
        case 'about':
          await dialog.showMessageBox({ type: 'info', message: `${PRODUCT_NAME} ${app.getVersion()}`, detail: 'Keeps your Salesforce connections to Data2CRM.API alive.' });
          return;
        case 'help':
          // The user's help page, shipped beside the app (electron-builder extraResources: outside
          // the asar archive, where the system's browser can open it).
          await shell.openPath(app.isPackaged ? join(process.resourcesPath, 'help', 'index.html') : join(app.getAppPath(), 'resources', 'help', 'index.html'));
          return;
        case 'open-account':
          windows.showSettings('account');
          return;
        case 'refresh-now':
          await service.refreshNow(action.connectionId);
          return;
        case 'reauthorize':
        case 'register-again':
        case 'disconnect':
          // These run from the dialog, which explains, asks and shows progress.
          windows.showDialog(action.connectionId);
          return;
        case 'copy-application-key':
          service.copyApplicationKey(action.connectionId);
          return;
        case 'open-in-salesforce':
          service.openInSalesforce(action.connectionId);
          return;
        default:
          assertNever(action, 'tray action');
      }
    };
    const tray = createTrayPresenter((status) => join(app.getAppPath(), 'resources', 'tray', process.platform === 'darwin' ? `${status}Template.png` : `${status}.png`), (action) => void runTrayAction(action).catch((error: unknown) => log.error('tray action failed', { error })), systemClock);
    let trayModel: TrayModel;
    // The tray's model comes from the app service's few most urgent rows, never from all N views.
    // Built again when a label's relative time changes (the presenter's one timer).
    const renderTray = () => tray.show((now) => (trayModel = buildTrayModel(service.trayState({ productName: PRODUCT_NAME, version: app.getVersion() }, now, loginItem.get()))));
    // Tray and windows follow every change as it happens (no polling); windows get only what changed.
    service.subscribe((delta) => {
      renderTray();
      // Hidden windows get nothing, not even parsed (a window shown again gets the whole state).
      if (delta.header) events.publish('app:status', { status: delta.header.status, summary: delta.header.summary });
      events.publish('state:changed', delta);
    });
    // An open activity log shows each new row (its own small event); a hidden one reads the log when shown.
    core.activity.subscribe((entry) => events.publish('activity:appended', entry));
    sendStateToShownWindow = () => {
      const full = service.fullState();
      if (full.header) events.publish('app:status', { status: full.header.status, summary: full.header.summary });
      events.publish('state:changed', full);
    };
    renderTray();
    keepAlive.start();
    // Without a tray (stock GNOME) the icon is invisible: a first start shows the window.
    if (opensSettingsAtStart(settings.get())) windows.showSettings();
    // After sleep the timers are late: overdue connections run once each, staggered.
    powerMonitor.on('resume', () => keepAlive.resumed());
    powerMonitor.on('unlock-screen', () => keepAlive.replan());

    if (process.env['D2C_TEST_MODE'] === '1') {
      // Test-only hooks for the Electron end-to-end spec; absent in normal runs.
      Object.assign(globalThis, { __d2cTest: { trayModel: () => trayModel, runTrayAction } });
    }
    // Check times waiting for their commit (at most ROUTINE_COMMIT_WITHIN_MS) are written before the app goes.
    const commitState = () => {
      try {
        stateStore.commit();
      } catch (error) {
        logger.error('state: the last check times could not be written', sqliteWords(error));
      }
    };
    app.on('before-quit', () => {
      windows.prepareToQuit();
      keepAlive.stop();
      tray.destroy();
      commitState();
    });
    app.on('will-quit', commitState);
    log.info('started', { version: app.getVersion(), storage: core.storage.kind, connections: settings.get().connections.length });
  });
}

main();
