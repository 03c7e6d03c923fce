/**
 * Composition root: builds the adapters, hands them to the core, wires IPC and the app lifecycle.
 * Decisions live in main/core; this file only connects parts.
 */
import { app, clipboard, dialog, net, powerMonitor } from 'electron';
import { join } from 'node:path';
import { summarize } from './core/app-summary.js';
import { assertNever } from './core/assert-never.js';
import { authNavigationDecision } from './core/auth/navigation-policy.js';
import { createConnectionService } from './core/connections/connection-service.js';
import { createSecretVault } from './core/connections/secret-vault.js';
import { createData2CrmClient } from './core/data2crm/client.js';
import { createActivityLog } from './core/keepalive/activity-log.js';
import { estimatedExpiry } from './core/keepalive/check-connection.js';
import { createKeepAlive } from './core/keepalive/keep-alive.js';
import { createNotificationPolicy } from './core/keepalive/notification-policy.js';
import { createSilentReauthorizer } from './core/keepalive/silent-reauthorize.js';
import type { AuthBrowser, HttpFetch } from './core/ports.js';
import { createSalesforceOAuthClient } from './core/salesforce/oauth-client.js';
import { isTrustedSalesforceUrl } from './core/salesforce/hosts.js';
import { chooseSecretStore } from './core/secrets/choose-secret-store.js';
import { loginBaseUrl } from './core/settings/endpoints.js';
import { openSettings } from './core/settings/settings-repository.js';
import { buildTrayModel, type TrayAction, type TrayModel } from './core/tray-model.js';
import { registerAppScheme, RENDERER_ORIGIN, serveRenderer } from './adapters/app-protocol.js';
import { createAuthWindowBrowser } from './adapters/auth-window.js';
import { createDesktopNotifier } from './adapters/desktop-notifier.js';
import { createElectronSettingsFile } from './adapters/electron-settings-file.js';
import { bridgeIpcMain, sendToAllWindows } from './adapters/ipc-main-bridge.js';
import { createElectronLogger } from './adapters/logger.js';
import { createLoopbackListener } from './adapters/loopback-listener.js';
import { secretStoreCandidates } from './adapters/secret-store-candidates.js';
import { createSettingsWindowController } from './adapters/settings-window.js';
import { createSystemBrowser, openInSystemBrowser } from './adapters/system-browser.js';
import { systemClock } from './adapters/system-clock.js';
import { createTrayPresenter } from './adapters/tray.js';
import { createStoreSettingsFile } from './adapters/store-settings-file.js';
import { createEventPublisher, createIpcDispatcher, createIpcHandlers, createSenderCheck, originOf } from './ipc/index.js';
import ElectronStore from 'electron-store';

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
    serveRenderer(join(import.meta.dirname, '../renderer'));
    const { repository: settings, recovery } = openSettings(createElectronSettingsFile(), logger);
    if (recovery) logger.warn('settings recovered', { backupPath: recovery.backupPath });
    const { store: secretStore, status: storage } = await chooseSecretStore(secretStoreCandidates(), logger);
    const vault = createSecretVault(secretStore);
    await vault.loadAll();
    const httpFetch: HttpFetch = (url, init) => net.fetch(url, init);
    const extraHosts = () => settings.get().extraInstanceHosts;

    // Sign-in happens in the app's window or the system browser, as the settings say.
    const appWindow = createAuthWindowBrowser((url) => {
      const { endpoints } = settings.get();
      const login = loginBaseUrl(endpoints.salesforceLoginHost);
      const decision = authNavigationDecision(url, { signInOrigins: [endpoints.data2crmAuthBase, ...(login.ok ? [login.value] : []), ...extraHosts().map((h) => `https://${h}`)] });
      return decision === 'capture' ? 'allow' : decision;
    });
    const systemBrowser = createSystemBrowser();
    const authBrowser: AuthBrowser = {
      open: (url, options) => (settings.get().signIn.with === 'system-browser' && !options.silent ? systemBrowser : appWindow).open(url, options),
      forgetSession: (id) => appWindow.forgetSession(id),
    };
    const listener = createLoopbackListener();
    const connections = createConnectionService({ settings, vault, listener, browser: authBrowser, clock: systemClock, logger, fetch: httpFetch });

    const activityDir = app.getPath('userData');
    const activity = createActivityLog(createStoreSettingsFile(join(activityDir, 'activity.json'), () => new ElectronStore<Record<string, unknown>>({ cwd: activityDir, name: 'activity', clearInvalidConfig: false })));
    const policy = createNotificationPolicy({ now: systemClock.now, notifyAfterFailures: () => settings.get().refresh.notifyAfterFailures });
    const keepAlive = createKeepAlive({
      settings,
      clock: systemClock,
      logger,
      policy,
      // Until the re-authorize dialog exists (desktop-app issue), a click opens the settings window.
      notify: createDesktopNotifier(() => settingsWindow.show()),
      context: () => ({
        vault,
        data2crm: createData2CrmClient({ baseUrl: settings.get().endpoints.data2crmApiBase, userKey: () => vault.userKey(), fetch: httpFetch }),
        oauthFor: (record, clientSecret) => createSalesforceOAuthClient({ loginBaseUrl: record.loginBaseUrl, clientId: record.connectedApp!.clientId, clientSecret, extraHosts: extraHosts(), fetch: httpFetch }),
        silentReauthorize: createSilentReauthorizer(() => ({ listener, browser: appWindow, clock: systemClock, extraInstanceHosts: extraHosts(), authBase: settings.get().endpoints.data2crmAuthBase })),
      }),
    });

    const handlers = createIpcHandlers({ appInfo: { name: PRODUCT_NAME, version: app.getVersion() } });
    bridgeIpcMain(createIpcDispatcher({ handlers, isTrustedSender, logger }));
    const events = createEventPublisher(sendToAllWindows);

    const runTrayAction = async (action: TrayAction): Promise<void> => {
      const record = 'connectionId' in action ? settings.get().connections.find((c) => c.id === action.connectionId) : undefined;
      switch (action.type) {
        case 'open-settings':
        case 'connect':
          settingsWindow.show();
          return;
        case 'quit':
          settingsWindow.prepareToQuit();
          app.quit();
          return;
        case 'pause':
          keepAlive.pause();
          return render();
        case 'resume':
          keepAlive.resume();
          return render();
        case 'refresh-now':
          await keepAlive.refreshNow(action.connectionId);
          return render();
        case 'reauthorize': {
          const result = await connections.reauthorize(action.connectionId);
          if (result.ok) keepAlive.track(result.value);
          else void dialog.showMessageBox({ type: 'warning', message: 'Re-authorization did not finish', detail: result.error.message });
          return render();
        }
        case 'copy-application-key':
          if (record?.applicationKey) clipboard.writeText(record.applicationKey);
          return;
        case 'open-in-salesforce':
          if (record && isTrustedSalesforceUrl(record.instanceUrl, extraHosts())) openInSystemBrowser(record.instanceUrl);
          return;
        case 'disconnect': {
          if (!record) return;
          const answer = await dialog.showMessageBox({ type: 'question', buttons: ['Disconnect', 'Cancel'], defaultId: 1, cancelId: 1, message: `Disconnect ${record.label}?`, detail: 'The Data2CRM application is deleted, the sign-in is revoked where the app owns it, and the tokens are removed from the keychain.' });
          if (answer.response !== 0) return;
          keepAlive.forget(record.id);
          const result = await connections.disconnect(record.id);
          if (!result.ok) void dialog.showMessageBox({ type: 'warning', message: 'Disconnect did not finish', detail: `${result.error.message} Choose Disconnect again to continue where it stopped.` });
          return render();
        }
        default:
          assertNever(action, 'tray action');
      }
    };
    const tray = createTrayPresenter((status) => join(app.getAppPath(), 'resources', 'tray', `${status}.png`), (action) => void runTrayAction(action).catch((error: unknown) => logger.error('tray action failed', { error })));
    let trayModel: TrayModel;
    // Tray and open windows always show the same state, computed from the settings and keep-alive.
    function render(): void {
      const list = settings.get().connections;
      const summary = summarize(list, storage);
      trayModel = buildTrayModel({
        productName: PRODUCT_NAME,
        version: app.getVersion(),
        ...summary,
        paused: keepAlive.isPaused(),
        now: systemClock.now(),
        connections: list.map((c) => ({ id: c.id, label: c.label, status: c.status, busy: keepAlive.isBusy(c.id), lastVerifiedAt: c.lastVerifiedAt, expiresAt: c.mode === 'external' ? estimatedExpiry(c, settings.get().refresh) : null, applicationKey: c.applicationKey })),
      });
      tray.render(trayModel);
      events.publish('app:status', summary);
    }
    keepAlive.subscribe((event) => {
      activity.append(event);
      render();
    });
    render();
    keepAlive.start();
    // After sleep the timers are late: overdue connections run once each, staggered.
    powerMonitor.on('resume', () => keepAlive.replan());
    powerMonitor.on('unlock-screen', () => keepAlive.replan());

    if (process.env['D2C_TEST_MODE'] === '1') {
      // Test-only hooks for the Electron end-to-end spec; absent in normal runs.
      Object.assign(globalThis, { __d2cTest: { trayModel: () => trayModel, runTrayAction } });
    }
    app.on('before-quit', () => {
      settingsWindow.prepareToQuit();
      keepAlive.stop();
      tray.destroy();
    });
    logger.info('started', { version: app.getVersion(), storage: storage.kind, connections: settings.get().connections.length });
  });
}

main();
