/**
 * Builds the whole core from its ports: settings, secret storage (probed), connections,
 * keep-alive, notifications, activity and the app service the windows talk to. The Electron
 * composition root and the UI tests both call this, with different adapters.
 */
import { createAppService } from './app-service.js';
import { createSchemeRedirects } from './auth/callback-listeners.js';
import { createConnectionQueue, waitingFor } from './connections/connection-queue.js';
import { createHandover } from './handover/handover.js';
import { createConnectionService } from './connections/connection-service.js';
import { createOrphans } from './connections/orphans.js';
import { createSecretVault } from './connections/secret-vault.js';
import { createActivityLog } from './keepalive/activity-log.js';
import { createKeepAlive } from './keepalive/keep-alive.js';
import { createNotificationPolicy, type Notice } from './keepalive/notification-policy.js';
import { createCheckContextSource } from './keepalive/check-context.js';
import { boundedSecretStore } from './secrets/bounded-secret-store.js';
import type { AuthBrowser, Clipboard, Clock, ConfirmEndpoints, HttpTransport, LoginItem, Logger, RedirectListener, SaveDiagnostics, SaveHandoverFile, SettingsFile, StateStore } from './ports.js';
import { watchStalledHandovers } from './handover/stalled.js';
import type { HandoverFace } from './use-cases/handover.js';
import { chooseSecretStore, type SecretStoreCandidate } from './secrets/choose-secret-store.js';
import { createServiceClients } from './service-clients.js';
import { createEndpointConfirmation } from './settings/endpoint-confirmation.js';
import { openSettings } from './settings/settings-repository.js';
import { redactingAppService, redactingLogger, redactingSaveDiagnostics, redactingSettingsFile, redactingStateStore } from './outbound.js';
import { createSecretRedactor, knownInstance } from './secret-redactor.js';
import { feedRedactor } from './secrets/feed-redactor.js';
import { tellDamagedDatabase } from './settings/damaged-database.js';
import { createStateDatabaseHealth } from './state-database/health.js';
import { watchedStateStore } from './state-database/watched-store.js';

export interface CorePorts {
  readonly appInfo: { name: string; version: string };
  readonly platform: string;
  readonly settingsFile: SettingsFile;
  /** Connection records and the activity log (SQLite); preferences stay in settingsFile. */
  readonly stateStore: StateStore;
  /** The JSON activity file of earlier versions, imported into the state store once. */
  readonly legacyActivityFile?: SettingsFile;
  readonly secretStores: readonly SecretStoreCandidate[];
  readonly listener: RedirectListener;
  /** The app's own sign-in window (also used, hidden, for silent re-authorization). */
  readonly appWindow: AuthBrowser;
  readonly systemBrowser: AuthBrowser;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly http?: HttpTransport;
  readonly notify: (notice: Notice) => void;
  readonly clipboard: Clipboard;
  readonly saveDiagnostics: SaveDiagnostics;
  /** The window's hand-over saves the sealed file here (default: none, where there is no window). */
  readonly saveHandoverFile?: SaveHandoverFile;
  /** Who this side is in a hand-over (default: the app, "the tray"; a keeper forgets what it hands back). */
  readonly handoverFace?: HandoverFace;
  readonly loginItem: LoginItem;
  readonly closeWindow: () => void;
  /** Ends the app (windows, tray, keep-alive): the window's Quit, like the tray's. */
  readonly quit: () => void;
  /** Opens a checked https (or loopback sandbox) URL in the user's browser. */
  readonly openInBrowser: (url: string) => void;
  /** The native dialog that confirms a new service address before anything is sent there. */
  readonly confirmEndpoints: ConfirmEndpoints;
  readonly random?: () => number;
  /** How long a hidden re-authorization may wait for the provider (default 30 s). */
  readonly silentSignInTimeoutMs?: number;
  /** The deadline of every keychain call (default 10 s). */
  readonly secretStoreTimeoutMs?: number;
}

/**
 * Resolves before the keychain listing ends (`secretsLoaded` says when it has, and whether it
 * worked). Never rejects for a storage or settings fault: a damaged settings file loads what it can, a
 * keychain that cannot list is a degraded state retried by keep-alive, and an unreadable entry
 * affects only its own connection.
 */
export async function composeCore(ports: CorePorts) {
  const { clock } = ports;
  // Every secret the core holds is known to the redactor; every edge out of the core passes it.
  const redactor = createSecretRedactor();
  const logger = redactingLogger(ports.logger, redactor);
  const httpOption = ports.http ? { http: ports.http } : {};
  const notify = (notice: Notice) => ports.notify(redactor.outbound(notice));
  // A database a newer version made is read, never written: nothing runs until the app is updated.
  const readOnly = Boolean(ports.stateStore.newer);
  let wantsNotifications = () => true;
  const health = createStateDatabaseHealth({ clock, logger, newer: readOnly, notify: (notice) => wantsNotifications() && notify(notice) });
  // Every refusal of the state database reaches the health (tray, windows, one notice, one log line).
  const stateStore = watchedStateStore(ports.stateStore, health);
  const { repository: settings, recovery } = openSettings(redactingSettingsFile(ports.settingsFile, redactor), logger, redactingStateStore(stateStore, redactor), { readOnly });
  wantsNotifications = () => settings.get().general.notifications;
  const { store, status: storage } = await chooseSecretStore(ports.secretStores, logger);
  // One copy of each secret: the vault keeps the instances the redactor indexed.
  const vault = createSecretVault(feedRedactor(boundedSecretStore(store, ports.secretStoreTimeoutMs), redactor), { share: knownInstance });
  // Secrets load in the background (a large keychain lists slowly): connections are scheduled from
  // state at once, and every check or action on a connection waits in its queue for the listing.
  const secretsLoaded = vault.loadAll().then((listed) => {
    if (!listed) logger.warn('secrets: the keychain could not list its entries; retrying from keep-alive', { reason: vault.loadProblem() });
    return listed;
  });
  const queue = waitingFor(() => vault.whenLoaded(), createConnectionQueue());
  // The system browser for visible sign-ins when the user prefers it; silent ones stay hidden in ours.
  const browser: AuthBrowser = {
    open: (url, options) => (settings.get().signIn.with === 'system-browser' && !options.silent && !options.embeddedOnly ? ports.systemBrowser : ports.appWindow).open(url, options),
    forgetSession: (id) => ports.appWindow.forgetSession(id),
  };
  const clients = createServiceClients({ settings, vault, clock, http: ports.http });
  // App-link callbacks the OS hands to main (protocol-client.ts) reach the pending sign-in here.
  const schemeRedirects = createSchemeRedirects();
  const connections = createConnectionService({ settings, vault, listener: ports.listener, schemeListener: schemeRedirects.listener, browser, clock, logger, queue, readOnly, ...httpOption });
  const orphans = createOrphans({ settings, vault, clock, logger, queue, browser, isConnecting: connections.isConnecting, http: ports.http, readOnly });
  const activity = createActivityLog(stateStore, () => clock.now(), { redact: redactor.outbound, ...(ports.legacyActivityFile ? { legacyFile: ports.legacyActivityFile } : {}) });
  const damagedDatabase = ports.stateStore.movedAside ? tellDamagedDatabase(clock.now(), logger, activity) : null;
  // A notice stays fresh until every connection has been checked once more (the longest interval).
  const policy = createNotificationPolicy({ now: () => clock.now(), renewedNotifications: () => settings.get().general.renewedNotifications, burstMs: () => Math.max(settings.get().refresh.verifyIntervalMs, settings.get().refresh.internalIntervalMs) });
  const keepAlive = createKeepAlive({
    settings,
    clock,
    logger,
    policy,
    queue,
    readOnly,
    ...(ports.random ? { random: ports.random } : {}),
    notify: (notice) => {
      if (settings.get().general.notifications) notify(notice);
    },
    context: createCheckContextSource({ settings, vault, clock, http: ports.http, listener: ports.listener, appWindow: ports.appWindow, silentSignInTimeoutMs: ports.silentSignInTimeoutMs }),
  });
  // The rows say "paused": nothing is kept alive while the database is a newer version's.
  if (readOnly) keepAlive.pause();
  // The log redacts what it writes (its `redact` is the redactor).
  keepAlive.subscribe((event) => activity.append(event));
  // Hand-over and hand-back between the tray and a keeper (handover/handover.ts); a hand-over left
  // half-way is told (handover/stalled.ts). `inner` is there before any of them is called.
  const stalled = watchStalledHandovers({ settings, clock, policy, notify: (notice) => {
      if (settings.get().general.notifications) notify(notice);
    },
    changed: (ids) => inner.changed(ids) });
  const handover = createHandover({
    settings,
    vault,
    keepAlive,
    activity,
    clock,
    queue,
    changed: (ids) => {
      inner.changed(ids);
      stalled.replan();
    },
  });
  const endpoints = createEndpointConfirmation(ports.confirmEndpoints, () => settings.get(), () => clock.now());
  const inner = createAppService({
    appInfo: ports.appInfo,
    settings,
    vault,
    connections,
    orphans,
    keepAlive,
    policy,
    activity,
    storage,
    damagedDatabase,
    stateDatabase: health,
    clock,
    logger,
    data2crm: clients.data2crm,
    clipboard: ports.clipboard,
    saveDiagnostics: redactingSaveDiagnostics(ports.saveDiagnostics, redactor),
    loginItem: ports.loginItem,
    platform: ports.platform,
    closeWindow: ports.closeWindow,
    quit: ports.quit,
    openInBrowser: ports.openInBrowser,
    endpoints,
    notify,
    handover,
    handoverFace: ports.handoverFace ?? { name: 'the tray', afterwards: 'show-as-kept' },
    saveHandoverFile: ports.saveHandoverFile ?? (async () => null),
  });
  const app = redactingAppService(inner, redactor);
  health.onChange(() => inner.changed());
  health.start();
  // Tray and windows learn what the listing found (the user key, fingerprints, orphans, a problem).
  void secretsLoaded.then(() => inner.changed('all'));
  stalled.replan();
  return { settings, recovery, storage, vault, connections, orphans, keepAlive, policy, activity, app, logger, endpoints, secretsLoaded, stateDatabase: health, handover, stalledHandovers: stalled, deliverCallback: schemeRedirects.deliver };
}

export type Core = Awaited<ReturnType<typeof composeCore>>;
