/**
 * Composition root: builds the adapters, hands them to the core (main/core/compose.ts), wires IPC,
 * the tray and the app lifecycle. Decisions live in main/core; this file only connects parts.
 */
import { app, clipboard, dialog, net, powerMonitor, shell } from 'electron';
import ElectronStore from 'electron-store';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { assertNever } from './core/assert-never.js';
import { authWindowNavigation } from './core/auth/navigation-policy.js';
import { composeCore } from './core/compose.js';
import { fetchTransport } from './core/http/fetch-transport.js';
import type { Logger } from './core/ports.js';
import type { Settings } from './core/settings/schema.js';
import { opensSettingsAtStart } from './core/start-window.js';
import { buildTrayModel, startingTrayModel, type TrayAction, type TrayModel } from './core/tray-model.js';
import { openStateStoreWhenFree, startupWaitingNotice } from './core/state-database/open-when-free.js';
import { stateDatabaseWaitingLine } from '../shared/state-words.js';
import { registerAppScheme, RENDERER_ORIGIN, serveRenderer } from './adapters/app-protocol.js';
import { createAuthWindowBrowser } from './adapters/auth-window.js';
import { createDesktopNotifier } from './adapters/desktop-notifier.js';
import { confirmEndpointsWithDialog } from './adapters/endpoint-dialog.js';
import { createElectronSettingsFile } from './adapters/electron-settings-file.js';
import { anyWindowVisible, bridgeIpcMain, sendToVisibleWindows } from './adapters/ipc-main-bridge.js';
import { createElectronLogger } from './adapters/logger.js';
import { createLoginItem } from './adapters/login-item.js';
import { createLoopbackListener } from './adapters/loopback-listener.js';
import { callbackUrlsIn, claimCallbackScheme } from './adapters/protocol-client.js';
import { saveDiagnosticsWithDialog } from './adapters/save-diagnostics.js';
import { saveHandoverFileWithDialog } from './adapters/save-handover-file.js';
import { secretStoreCandidates } from './adapters/secret-store-candidates.js';
import { createAppWindows } from './adapters/app-windows.js';
import { keepPrivate, PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE } from './adapters/private-files.js';
import { createSqliteStateStore } from './adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from './adapters/store-settings-file.js';
import { createSystemBrowser, openInSystemBrowser } from './adapters/system-browser.js';
import { systemClock } from './adapters/system-clock.js';
import { createTrayPresenter } from './adapters/tray.js';
import { startLocalApiServer, type LocalApiServer } from './adapters/local-api-server.js';
import { createEventPublisher, createIpcDispatcher, createIpcHandlers, createSenderCheck, originOf } from './ipc/index.js';
import { createLocalApi } from './local-api/index.js';
import { localApiSocketPath } from '../shared/local-api.js';

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
  // App-link sign-in callbacks reach the core once it is up (none can be pending before).
  let deliverCallback = (_url: string): 'accepted' | 'ignored' => 'ignored';
  const callbackArrived = (url: string) => logger.info('sign-in: an app-link callback arrived', { outcome: deliverCallback(url) });
  claimCallbackScheme(callbackArrived);
  app.on('second-instance', (_event, argv) => {
    // Windows and Linux hand an app-link callback to a second start of the app: it reaches us here.
    for (const url of callbackUrlsIn(argv)) callbackArrived(url);
    void app.whenReady().then(() => windows.showSettings());
  });
  // A tray app keeps running with every window closed.
  app.on('window-all-closed', () => undefined);

  const appInfo = { productName: PRODUCT_NAME, version: app.getVersion() };
  // Until the core is up the tray offers Help, About and Quit only (startingTrayModel).
  let runTrayAction = (action: TrayAction): Promise<void> => (action.type === 'quit' ? Promise.resolve(app.quit()) : appAction(action));
  // The core's redacting logger once it exists.
  let trayLog: Logger = logger;
  const tray = createTrayPresenter((status) => join(app.getAppPath(), 'resources', 'tray', process.platform === 'darwin' ? `${status}Template.png` : `${status}.png`), (action) => void runTrayAction(action).catch((error: unknown) => trayLog.error('tray action failed', { error })), systemClock);
  const notify = createDesktopNotifier({ dialog: (connectionId) => windows.showDialog(connectionId), attention: () => windows.showAttention(), account: () => windows.showSettings('account'), settings: () => windows.showSettings() });

  void app.whenReady().then(async () => {
    app.dock?.hide();
    serveRenderer(join(import.meta.dirname, '../renderer'));
    const userData = app.getPath('userData');
    // The user's own data (labels, usernames, activity): a folder only the user can open (POSIX).
    if (keepPrivate([userData], PRIVATE_FOLDER_MODE).length) logger.warn('the user-data folder could be read by other users; it was narrowed to the user alone');
    let currentSettings: () => Settings = () => {
      throw new Error('settings not loaded yet');
    };
    const loginItem = createLoginItem();
    // Another program's lock (or a full disk) delays startup; a long wait is shown in the tray.
    const stateStore = await openStateStoreWhenFree(() => createSqliteStateStore(join(userData, 'state.db')), {
      clock: systemClock,
      logger,
      onWaiting: (problem) => {
        tray.show(() => startingTrayModel(appInfo, stateDatabaseWaitingLine(problem)));
        notify(startupWaitingNotice(problem));
      },
    });
    const core = await composeCore({
      appInfo: { name: PRODUCT_NAME, version: app.getVersion() },
      platform: `${process.platform} ${process.arch}, Electron ${process.versions.electron}`,
      settingsFile: createElectronSettingsFile(),
      stateStore,
      legacyActivityFile: createStoreSettingsFile(join(userData, 'activity.json'), () => new ElectronStore<Record<string, unknown>>({ cwd: userData, name: 'activity', clearInvalidConfig: false, configFileMode: PRIVATE_FILE_MODE })),
      secretStores: secretStoreCandidates(),
      listener: createLoopbackListener(),
      appWindow: createAuthWindowBrowser(authWindowNavigation(() => currentSettings())),
      systemBrowser: createSystemBrowser(),
      clock: systemClock,
      logger,
      // Chromium's network stack: the system's proxy settings and certificate store.
      http: fetchTransport((url, init) => net.fetch(url, init)),
      notify,
      clipboard: { writeText: (text) => clipboard.writeText(text) },
      saveDiagnostics: saveDiagnosticsWithDialog,
      saveHandoverFile: saveHandoverFileWithDialog,
      // What a keeper's log and activity say a connection handed over came from.
      handoverFace: { name: `the tray on ${hostname()}`, afterwards: 'show-as-kept' },
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
    deliverCallback = core.deliverCallback;
    // From here on, log through the core's redacting logger.
    const log = core.logger;
    trayLog = log;
    currentSettings = () => settings.get();
    if (core.recovery) void dialog.showMessageBox({ type: 'warning', message: core.recovery.newer ? 'Data2CRM Tray needs an update' : 'Some settings could not be read', detail: core.recovery.message });

    bridgeIpcMain(createIpcDispatcher({ handlers: createIpcHandlers({ appInfo: { name: PRODUCT_NAME, version: app.getVersion() }, app: service }), isTrustedSender: createSenderCheck([rendererOrigin]), logger: log }));
    const events = createEventPublisher(sendToVisibleWindows, anyWindowVisible);

    runTrayAction = async (action: TrayAction): Promise<void> => {
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
        case 'help':
          return appAction(action);
        case 'open-account':
          windows.showSettings('account');
          return;
        case 'refresh-now':
          await service.refreshNow(action.connectionId);
          return;
        case 'reauthorize':
        case 'register-again':
        case 'disconnect':
        case 'handover':
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
    let trayModel: TrayModel;
    // The tray's model comes from the app service's few most urgent rows, never from all N views.
    // Built again when a label's relative time changes (the presenter's one timer).
    const renderTray = () => tray.show((now) => (trayModel = buildTrayModel(service.trayState(appInfo, now, loginItem.get()))));
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
    // Check times waiting for their commit (at most ROUTINE_COMMIT_WITHIN_MS), and renewal counts
    // waiting in the activity log, are written before the app goes.
    const commitState = () => {
      try {
        core.activity.flush();
        stateStore.commit();
      } catch (error) {
        // A StorageFailure's words are SQLite's ("database or disk is full"), never a written value.
        logger.error('state: the last check times could not be written', { error: error instanceof Error ? error.message : typeof error });
      }
    };
    app.on('before-quit', () => {
      windows.prepareToQuit();
      keepAlive.stop();
      tray.destroy();
      commitState();
    });
    let localApi: LocalApiServer | null = null;
    let quitting = false;
    app.on('will-quit', () => {
      quitting = true;
      commitState();
      void localApi?.close();
    });
    // The command line's way in (data2crm-tray): a socket only this user can open.
    localApi = await startLocalApiServer({
      socketPath: localApiSocketPath({ platform: process.platform, env: process.env, dataDir: userData }),
      ...createLocalApi({ appInfo: { name: PRODUCT_NAME, version: app.getVersion() }, app: service, showConnect: () => windows.showSettings('connect'), logger: log, face: 'app' }),
      logger: log,
    });
    // Quit while it was starting: it goes too.
    if (quitting) void localApi?.close();
    log.info('started', { version: app.getVersion(), storage: core.storage.kind, connections: settings.get().connections.length });
  }).catch((error: unknown) => {
    // Never an unhandled rejection: the tray says the app could not start, and Quit works.
    logger.error('startup failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : typeof error });
    tray.show(() => startingTrayModel(appInfo, 'Could not start: see the log; quit and start again'));
  });
}

/** What works without the core: About and Help. */
async function appAction(action: TrayAction): Promise<void> {
  if (action.type === 'about') await dialog.showMessageBox({ type: 'info', message: `${PRODUCT_NAME} ${app.getVersion()}`, detail: 'Keeps your Salesforce connections to Data2CRM.API alive.' });
  // The user's help page, shipped beside the app (electron-builder extraResources: outside the asar
  // archive, where the system's browser can open it).
  if (action.type === 'help') await shell.openPath(app.isPackaged ? join(process.resourcesPath, 'help', 'index.html') : join(app.getAppPath(), 'resources', 'help', 'index.html'));
}

main();
