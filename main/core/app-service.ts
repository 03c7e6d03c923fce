/**
 * What the windows can see and do, over the core's services: the snapshot (masked, never a
 * secret), settings in the units people use, and every action the settings window, the connect
 * wizard and the re-authorize / update dialog offer. The IPC handlers are a thin map onto this.
 */
import type { ActionResult, ActivityEntryView, ConnectRequest, ConnectionView, SettingsPatch, SettingsView, StateDelta } from '../../preload/contract.js';
import { summarizeCounts } from './app-summary.js';
import { approvalWarning, atRiskBeforeSignIn, endedByNewApproval, endedWords } from './connections/approval-limit.js';
import type { ConnectFailure, ConnectionService } from './connections/connection-service.js';
import type { Orphans } from './connections/orphans.js';
import type { SecretVault } from './connections/secret-vault.js';
import type { Data2CrmClient } from './data2crm/client.js';
import type { ActivityLog } from './keepalive/activity-log.js';
import { estimatedExpiry } from './keepalive/token-lifetime.js';
import type { KeepAlive } from './keepalive/keep-alive.js';
import type { NotificationPolicy } from './keepalive/notification-policy.js';
import type { Clipboard, Clock, LoginItem, Logger, SaveDiagnostics, TimerHandle } from './ports.js';
import { fingerprint, redactValue } from './redact.js';
import type { StorageStatus } from './secrets/choose-secret-store.js';
import type { EndpointConfirmation } from './settings/endpoint-confirmation.js';
import { loginBaseUrl, parseBaseUrl } from './settings/endpoints.js';
import { localSandboxFrom, withLocalSandbox } from './settings/local-sandbox.js';
import type { ConnectionRecord, Settings } from './settings/schema.js';
import type { SettingsRepository } from './settings/settings-repository.js';
import { keychainUnlisted } from './secrets/storage-messages.js';
import { isTrustedSalesforceUrl } from './salesforce/hosts.js';
import { createStateFeed } from './state-feed.js';
import { TRAY_CONNECTION_ROWS, trayStateOf, type TrayState } from './tray-model.js';

export interface AppServiceDeps {
  readonly appInfo: { name: string; version: string };
  readonly settings: SettingsRepository;
  readonly vault: SecretVault;
  readonly connections: ConnectionService;
  /** Keychain entries without a record, listed for Recover / Delete. */
  readonly orphans: Orphans;
  readonly keepAlive: KeepAlive;
  readonly policy: NotificationPolicy;
  readonly activity: ActivityLog;
  readonly storage: StorageStatus;
  /** The state database could not be read at start and was moved aside (when). */
  readonly damagedDatabase?: { readonly at: number } | null;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly data2crm: () => Data2CrmClient;
  readonly clipboard: Clipboard;
  readonly saveDiagnostics: SaveDiagnostics;
  readonly loginItem: LoginItem;
  readonly platform: string;
  /** Asks the user before any new address is used (main's dialog). */
  readonly endpoints: EndpointConfirmation;
  /** Closes the window that asked (the dialog closes itself on success). */
  readonly closeWindow: () => void;
  readonly quit: () => void;
  readonly openInBrowser: (url: string) => void;
}

const MIN = 60_000;
/**
 * Changes within this span go to the tray and windows as one delta: a round of checks finishing
 * one after another then costs one view and one redaction per connection, not one per step
 * (started, then done), and far fewer deltas. Short enough that nobody sees the wait.
 */
export const FEED_COALESCE_MS = 50;
const formatMinutes = (ms: number) => (ms % (60 * MIN) === 0 ? `${ms / (60 * MIN)} h` : `${Math.round(ms / MIN)} min`);
/** A few lifetimes recur across thousands of views: one string each, not one per view (≈ 40 bytes a connection). */
const lifetimeLines = new Map<string, string>();
function lifetimeLine(lifetimeMs: number, learned: boolean): string {
  const key = `${lifetimeMs} ${learned}`;
  let line = lifetimeLines.get(key);
  if (line === undefined) {
    line = `lifetime ${formatMinutes(lifetimeMs)}, ${learned ? 'learned' : 'assumed from settings'}`;
    if (lifetimeLines.size < 100) lifetimeLines.set(key, line);
  }
  return line;
}
const STORAGE_DETAIL: Record<StorageStatus['kind'], string> = {
  keychain: 'Tokens are kept in the operating system keychain.',
  'encrypted-file': 'No keychain is available; tokens are kept in a file encrypted by the operating system.',
  'session-only': 'No keychain or OS encryption is available: tokens are kept in memory and lost when the app quits. Install or unlock a keyring (on Linux: gnome-keyring or KWallet) and restart the app.',
};

/** How a connection was made, in the activity log's words. */
const CONNECTED_HOW: Record<ConnectRequest['mode'], string> = {
  internal: 'Through the Data2CRM sign-in.',
  external: 'Through your own connected app.',
  manual: 'With pasted tokens.',
};

/** Every connect-side failure already carries a message written for the user. */
const failed = (failure: ConnectFailure): ActionResult => ({ ok: false, message: failure.message, ...('field' in failure && failure.field ? { field: failure.field } : {}) });

/** Times in the diagnostics report: ISO 8601 (UTC), which support can read and sort; the window shows them in local time. */
const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

export function createAppService(deps: AppServiceDeps) {
  const { settings, vault, connections, keepAlive, clock, logger } = deps;
  let signIn: AbortController | null = null;
  let resumeTimer: TimerHandle | null = null;
  const sinceByConnection = new Map<string, { status: string; at: number }>();

  keepAlive.subscribe((event) => {
    if (event.kind === 'status') sinceByConnection.set(event.connectionId, { status: event.to, at: event.at });
  });
  /** When the current state began; an earlier state's time is never shown as this one's. */
  const sinceOf = (record: ConnectionRecord) => {
    const since = sinceByConnection.get(record.id);
    return since && since.status === record.status ? since.at : null;
  };

  /** The technical detail (ENOTFOUND …) goes to the log; the message says it in words. */
  function notConnected(error: ConnectFailure): ActionResult {
    const api = 'api' in error ? error.api : null;
    logger.warn('connect: not connected', { kind: error.kind, ...(api ? { api: api.kind } : {}), ...(api?.kind === 'network' && api.code ? { code: api.code } : {}) });
    return failed(error);
  }

  function view(record: ConnectionRecord): ConnectionView {
    const secrets = vault.secretsOf(record.id);
    const refresh = settings.get().refresh;
    // External tokens are renewed by the app; pasted ones without a refresh token really die.
    const expiresAt = record.mode === 'external' || (record.mode === 'manual' && !secrets?.refreshToken) ? estimatedExpiry(record, refresh) : null;
    const busy = keepAlive.isBusy(record.id);
    const nextRunAt = keepAlive.nextRunAt(record.id);
    const lifetime = record.learnedLifetimeMs ?? refresh.sessionLifetimeMs;
    return {
      id: record.id,
      label: record.label,
      mode: record.mode,
      crmType: record.crmType,
      instanceUrl: record.instanceUrl,
      orgId: record.orgId,
      username: record.username,
      status: record.status,
      statusDetail: record.statusDetail,
      since: sinceOf(record),
      lastVerifiedAt: record.lastVerifiedAt,
      lastRefreshedAt: record.lastRefreshedAt,
      expiresAt,
      nextRunAt,
      lifetimeLine: record.mode === 'external' ? lifetimeLine(lifetime, record.learnedLifetimeMs !== null) : null,
      applicationKeyFingerprint: record.applicationKey ? fingerprint(record.applicationKey) : null,
      accessTokenFingerprint: secrets ? fingerprint(secrets.accessToken) : null,
      hasRefreshToken: Boolean(secrets?.refreshToken),
      snoozedUntil: deps.policy.snoozedUntil(record.id),
      busy,
    };
  }

  // Views and the header, kept current one connection at a time and sent as deltas.
  const feed = createStateFeed({
    record: (id) => settings.connection(id),
    records: () => settings.get().connections,
    view,
    globals: (counts, orphans) => {
      const userKey = vault.userKey();
      const problem = vault.loadProblem();
      const states = { serviceKeyRejected: keepAlive.serviceKeyRejected(), paused: keepAlive.isPaused(), keychainLoading: vault.isLoading(), keychainUnlisted: problem !== null, damagedDatabase: Boolean(deps.damagedDatabase) };
      return {
        ...summarizeCounts(counts, deps.storage, { ...states, orphans }),
        paused: states.paused,
        storage: { kind: deps.storage.kind, detail: problem ? keychainUnlisted(problem) : STORAGE_DETAIL[deps.storage.kind] },
        serviceKeyRejected: states.serviceKeyRejected,
        userKey: { set: userKey !== null, fingerprint: userKey ? fingerprint(userKey) : null },
        ...(deps.damagedDatabase ? { damagedDatabase: deps.damagedDatabase } : {}),
      };
    },
    orphans: () => deps.orphans.list(),
    defer: (fire) => void clock.setTimer(FEED_COALESCE_MS, fire),
    // The rest of a large change (a resume re-plans every connection): right after other work.
    soon: (fire) => void clock.setTimer(0, fire),
  });
  settings.onConnectionsChanged(({ put, removed }) => feed.touch([...put, ...removed]));
  keepAlive.onTouched((id) => feed.touch([id]));
  keepAlive.subscribe((event) => feed.touch([event.connectionId]));
  keepAlive.onGlobalChange(() => feed.changed());
  /** After a user action: the header, the orphans and the given connections are looked at again at once. */
  const changed = (scope?: readonly string[] | 'all') => feed.changed(scope);

  function settingsView(s: Settings = settings.get()): SettingsView {
    return {
      endpoints: { ...s.endpoints },
      signIn: { with: s.signIn.with, timeoutMinutes: Math.round(s.signIn.timeoutMs / MIN), callbackPort: s.signIn.callbackPort },
      refresh: {
        internalIntervalMinutes: Math.round(s.refresh.internalIntervalMs / MIN),
        sessionLifetimeMinutes: Math.round(s.refresh.sessionLifetimeMs / MIN),
        skewMinutes: Math.round(s.refresh.skewMs / MIN),
        concurrency: s.refresh.concurrency,
        notifyAfterFailures: s.refresh.notifyAfterFailures,
      },
      general: { launchAtLogin: deps.loginItem.get(), notifications: s.general.notifications, renewedNotifications: s.general.renewedNotifications, snoozeMinutes: Math.round(s.general.snoozeMs / MIN) },
    };
  }

  const find = (id: string) => settings.connection(id);

  /** New credentials stored but not yet taken by Data2CRM: keep-alive retries the push. */
  function failedKeepingPush(id: string, failure: ConnectFailure): ActionResult {
    const record = find(id);
    if (record?.pushPending) keepAlive.track(record);
    return failed(failure);
  }

  async function guarded(id: string, work: () => Promise<ActionResult>): Promise<ActionResult> {
    try {
      return await work();
    } finally {
      changed([id]);
    }
  }

  function recordAction(kind: 'reauthorized' | 'tokens-updated' | 'registered-again', record: ConnectionRecord): void {
    deps.activity.record({ kind, connectionId: record.id, label: record.label, status: record.status });
  }

  /** New tokens held only in memory: keep-alive writes them again (with backoff) from now on. */
  function retryUnsaved(id: string): void {
    if (vault.isUnsaved(id)) keepAlive.scheduler.schedule(id, clock.now());
  }

  return {
    /** The whole state (`state:get`, when a window opens). */
    snapshot: () => feed.snapshot(),
    /** The whole state as one event, for a window shown again. */
    fullState: () => feed.full(),
    /** Each delta, as the windows get it (`state:changed`). */
    subscribe: (listener: (delta: StateDelta) => void): (() => void) => feed.subscribe(listener),
    changed,
    /** Sends pending changes now (the benchmarks time it; normally a zero timer does). */
    flush: () => feed.flush(),
    /** What the tray shows: the app state and its most urgent rows only (never all N). */
    trayState: (app: { productName: string; version: string }, now: number, openAtLogin?: boolean): TrayState => trayStateOf(feed.header(), feed.mostUrgent(TRAY_CONNECTION_ROWS), app, now, { openAtLogin, connectionCount: feed.counts().count }),
    settingsView: () => settingsView(),

    async updateSettings(patch: SettingsPatch): Promise<ActionResult> {
      const current = settings.get();
      const endpoints = { ...current.endpoints, ...patch.endpoints };
      for (const [field, value] of [['data2crmApiBase', endpoints.data2crmApiBase], ['data2crmAuthBase', endpoints.data2crmAuthBase]] as const) {
        const parsed = parseBaseUrl(value);
        if (!parsed.ok) return { ok: false, message: parsed.error, field };
        endpoints[field] = parsed.value;
      }
      const login = loginBaseUrl(endpoints.salesforceLoginHost);
      if (!login.ok) return { ok: false, message: login.error, field: 'salesforceLoginHost' };
      // A new address is saved only after the user's yes in main's own dialog.
      const approved = await deps.endpoints.approve({ endpoints });
      if (!approved.ok) return { ok: false, message: approved.error };
      const r = patch.refresh ?? {};
      const g = patch.general ?? {};
      if (g.launchAtLogin !== undefined) deps.loginItem.set(g.launchAtLogin);
      try {
        settings.update((s) => ({
          ...s,
          endpoints,
          signIn: {
            with: patch.signIn?.with ?? s.signIn.with,
            timeoutMs: patch.signIn?.timeoutMinutes !== undefined ? patch.signIn.timeoutMinutes * MIN : s.signIn.timeoutMs,
            callbackPort: patch.signIn?.callbackPort ?? s.signIn.callbackPort,
          },
          refresh: {
            ...s.refresh,
            ...(r.internalIntervalMinutes !== undefined ? { internalIntervalMs: r.internalIntervalMinutes * MIN } : {}),
            ...(r.sessionLifetimeMinutes !== undefined ? { sessionLifetimeMs: r.sessionLifetimeMinutes * MIN } : {}),
            ...(r.skewMinutes !== undefined ? { skewMs: r.skewMinutes * MIN } : {}),
            ...(r.concurrency !== undefined ? { concurrency: r.concurrency } : {}),
            ...(r.notifyAfterFailures !== undefined ? { notifyAfterFailures: r.notifyAfterFailures } : {}),
          },
          general: {
            notifications: g.notifications ?? s.general.notifications,
            renewedNotifications: g.renewedNotifications ?? s.general.renewedNotifications,
            snoozeMs: g.snoozeMinutes !== undefined ? g.snoozeMinutes * MIN : s.general.snoozeMs,
          },
        }));
      } catch {
        return { ok: false, message: 'Those settings are out of range; nothing was saved.' };
      }
      // Expiry estimates and lifetimes follow the refresh settings: every view is looked at again.
      changed('all');
      return { ok: true, message: 'Saved.' };
    },

    /**
     * One step to try the app against `npm run sandbox`: every address and the trusted instance
     * host change together. A single main-side action, so a confirmation can stand in front of it.
     */
    async useLocalSandbox(address: string): Promise<ActionResult> {
      const sandbox = localSandboxFrom(address);
      if (!sandbox.ok) return { ok: false, message: sandbox.error, field: 'sandboxAddress' };
      // Loopback, but still a new place for secrets: main's own dialog asks first.
      const approved = await deps.endpoints.approve({ endpoints: sandbox.value.endpoints, extraInstanceHosts: [sandbox.value.instanceHost] });
      if (!approved.ok) return { ok: false, message: approved.error };
      try {
        settings.update((s) => withLocalSandbox(s, sandbox.value));
      } catch {
        return { ok: false, message: 'The settings could not be saved; the app still uses its previous addresses.' };
      }
      changed();
      return { ok: true, message: `Now using the sandbox at ${sandbox.value.origin} for Data2CRM and Salesforce.` };
    },

    async setUserKey(userKey: string): Promise<ActionResult> {
      const key = userKey.trim();
      if (!/^[\w.~-]+$/.test(key)) return { ok: false, message: 'A Data2CRM user key has only letters, digits and . _ ~ - : check what was pasted.', field: 'userKey' };
      try {
        await vault.setUserKey(key);
      } catch {
        return { ok: false, message: 'The keychain refused to store the user key.', field: 'userKey' };
      }
      keepAlive.userKeyReplaced();
      changed();
      return { ok: true, message: `Saved (…${key.slice(-4)}).` };
    },

    async testUserKey(): Promise<ActionResult> {
      const counted = await deps.data2crm().countApplications();
      if (counted.ok) keepAlive.userKeyAccepted();
      if (counted.ok) return { ok: true, message: `Data2CRM accepted the key (${counted.value} application${counted.value === 1 ? '' : 's'}).` };
      return { ok: false, message: counted.error.message };
    },

    /** forMs: "Pause for 1 hour" resumes on its own (the keep-alive clock's timer). */
    setPaused(paused: boolean, forMs?: number): ActionResult {
      resumeTimer?.cancel();
      resumeTimer = null;
      if (paused) keepAlive.pause();
      else keepAlive.resume();
      if (paused && forMs !== undefined)
        resumeTimer = clock.setTimer(forMs, () => {
          resumeTimer = null;
          keepAlive.resume();
          changed();
        });
      changed();
      return { ok: true };
    },

    async connect(request: ConnectRequest): Promise<ActionResult> {
      // The user key is known once the keychain's listing has ended (it runs in the background at startup).
      await vault.whenLoaded();
      if (signIn) return { ok: false, message: 'A sign-in is already in progress. Finish or cancel it first.' };
      // Checked before any sign-in: registering the org at the end needs the key.
      if (vault.userKey() === null) return { ok: false, message: 'Set your Data2CRM user key under Account first: registering the org needs it. Nothing was started.' };
      if (request.mode === 'external') {
        const approved = await deps.endpoints.approve({ connectionLoginHost: request.loginHost });
        if (!approved.ok) return { ok: false, message: approved.error, field: 'loginHost' };
      }
      // A sixth approval of one user through one app ends the oldest: asked before the sign-in.
      if (request.mode !== 'manual' && !request.replaceOldest) {
        const atRisk = atRiskBeforeSignIn(settings.get().connections, request.mode === 'internal' ? { mode: 'internal', connectedApp: null } : { mode: 'external', connectedApp: { clientId: request.clientId.trim(), callbackPort: 0 } });
        if (atRisk.length > 0) return { ok: false, message: approvalWarning(atRisk, request.mode), field: 'replaceOldest' };
      }
      signIn = new AbortController();
      const signal = signIn.signal;
      try {
        const result =
          request.mode === 'internal'
            ? await connections.connectInternal({ label: request.label, crmType: request.crmType }, { signal })
            : request.mode === 'external'
              ? await connections.connectExternal({ label: request.label, crmType: request.crmType, loginHost: request.loginHost, clientId: request.clientId, ...(request.clientSecret ? { clientSecret: request.clientSecret } : {}), ...(request.callbackPort ? { callbackPort: request.callbackPort } : {}) }, { signal })
              : await connections.connectManual({ label: request.label, crmType: request.crmType, instanceUrl: request.instanceUrl, accessToken: request.accessToken, ...(request.refreshToken ? { refreshToken: request.refreshToken } : {}) });
        if (!result.ok) return notConnected(result.error);
        keepAlive.track(result.value);
        deps.activity.record({ kind: 'connected', connectionId: result.value.id, label: result.value.label, status: result.value.status, detail: CONNECTED_HOW[request.mode] });
        // The connections this approval ended are checked at once, so their state shows.
        const ended = endedByNewApproval(settings.get().connections, result.value);
        for (const c of ended) await keepAlive.refreshNow(c.id);
        const checked = ended.map((c) => find(c.id) ?? c);
        return { ok: true, message: `${result.value.label} is connected.`, ...(checked.length > 0 ? { notice: endedWords(checked) } : {}) };
      } finally {
        signIn = null;
        changed();
      }
    },

    cancelSignIn(): ActionResult {
      signIn?.abort();
      return { ok: true };
    },

    rename: (id: string, label: string) =>
      guarded(id, async () => {
        const before = find(id)?.label;
        const result = await connections.rename(id, label);
        if (!result.ok) return failed(result.error);
        const after = find(id);
        if (after && before !== undefined && before !== after.label) deps.activity.record({ kind: 'renamed', connectionId: id, label: after.label, status: after.status, detail: `Was “${before}”.` });
        return { ok: true, message: 'Renamed.' };
      }),

    refreshNow: (id: string) =>
      guarded(id, async () => {
        if (!find(id)) return { ok: false, message: 'That connection no longer exists.' };
        if (keepAlive.serviceKeyRejected()) return { ok: false, message: 'Data2CRM rejected the user key, so nothing can be refreshed. Enter a working key under Account; refreshing resumes then.' };
        await keepAlive.refreshNow(id);
        if (keepAlive.serviceKeyRejected()) return { ok: false, message: 'Data2CRM rejected the user key, so the refresh could not be completed. Enter a working key under Account.' };
        const after = find(id);
        if (after?.status !== 'healthy') return { ok: false, message: after?.statusDetail ?? 'The refresh did not succeed.' };
        return { ok: true, message: 'Refreshed and verified.' };
      }),

    reauthorize: (id: string) =>
      guarded(id, async () => {
        const result = await connections.reauthorize(id);
        retryUnsaved(id);
        if (!result.ok) return failedKeepingPush(id, result.error);
        keepAlive.track(result.value);
        deps.policy.unsnooze(id);
        recordAction('reauthorized', result.value);
        return { ok: true, message: 'Re-authorized.' };
      }),

    updateTokens: (id: string, accessToken: string, refreshToken?: string) =>
      guarded(id, async () => {
        const result = await connections.updateWithTokens(id, { accessToken, ...(refreshToken ? { refreshToken } : {}) });
        retryUnsaved(id);
        if (!result.ok) return failedKeepingPush(id, result.error);
        keepAlive.track(result.value);
        recordAction('tokens-updated', result.value);
        return { ok: true, message: 'Updated.' };
      }),

    registerAgain: (id: string) =>
      guarded(id, async () => {
        const result = await connections.registerAgain(id);
        if (!result.ok) return notConnected(result.error);
        keepAlive.track(result.value);
        recordAction('registered-again', result.value);
        return { ok: true, message: 'Registered again in Data2CRM.' };
      }),

    snooze(id: string): ActionResult {
      deps.policy.snooze(id, settings.get().general.snoozeMs);
      changed([id]);
      const hours = Math.round(settings.get().general.snoozeMs / MIN / 60);
      return { ok: true, message: `Notifications snoozed for ${hours >= 24 ? `${Math.round(hours / 24)} day${hours >= 48 ? 's' : ''}` : `${hours} h`}.` };
    },

    disconnect: (id: string) =>
      guarded(id, async () => {
        const label = find(id)?.label;
        keepAlive.forget(id);
        const result = await connections.disconnect(id);
        if (!result.ok) return { ok: false, message: `${result.error.message} Disconnect again to continue where it stopped.` };
        if (label !== undefined) deps.activity.record({ kind: 'disconnected', connectionId: id, label, status: 'disconnecting' });
        return { ok: true, message: 'Disconnected.' };
      }),

    recoverOrphan: (id: string) =>
      guarded(id, async () => {
        const result = await deps.orphans.recover(id);
        if (!result.ok) return { ok: false, message: result.error.message };
        keepAlive.track(result.value);
        // The detail (what an older entry could not tell) is said now: the first check replaces it.
        return { ok: true, message: `${result.value.label} is back; checking it now.${result.value.statusDetail ? ` ${result.value.statusDetail}` : ''}` };
      }),

    deleteOrphan: (id: string) =>
      guarded(id, async () => {
        const result = await deps.orphans.remove(id);
        return result.ok ? { ok: true, message: result.value } : { ok: false, message: result.error.message };
      }),

    copyApplicationKey(id: string): ActionResult {
      const key = find(id)?.applicationKey;
      if (!key) return { ok: false, message: 'This connection has no application key.' };
      deps.clipboard.writeText(key);
      return { ok: true, message: 'Application key copied.' };
    },

    /** Only a URL that passes the same trust rule as a token's destination reaches the browser. */
    openInSalesforce(id: string): ActionResult {
      const record = find(id);
      if (!record) return { ok: false, message: 'That connection no longer exists.' };
      if (!isTrustedSalesforceUrl(record.instanceUrl, settings.get().extraInstanceHosts)) return { ok: false, message: 'The instance URL is not a trusted Salesforce address, so it was not opened.' };
      deps.openInBrowser(record.instanceUrl);
      return { ok: true, message: 'Opened in your browser.' };
    },

    activity: (): ActivityEntryView[] => [...deps.activity.entries()].reverse(),

    /** Exactly what Export writes: versions, settings without secrets, states, recent events. */
    diagnostics(): string {
      const s = settings.get();
      const report = {
        generatedAt: new Date(clock.now()).toISOString(),
        app: deps.appInfo,
        platform: deps.platform,
        storage: deps.storage.kind,
        paused: keepAlive.isPaused(),
        serviceKeyRejected: keepAlive.serviceKeyRejected(),
        settings: { endpoints: s.endpoints, signIn: s.signIn, refresh: s.refresh, general: s.general, extraInstanceHosts: s.extraInstanceHosts },
        connections: feed.snapshot().connections.map(({ id, label, mode, crmType, orgId, status, statusDetail, lastVerifiedAt, lastRefreshedAt, expiresAt, applicationKeyFingerprint }) => ({ id, label, mode, crmType, orgId, status, statusDetail, lastVerifiedAt: iso(lastVerifiedAt), lastRefreshedAt: iso(lastRefreshedAt), expiresAt: iso(expiresAt), applicationKeyFingerprint })),
        recentEvents: deps.activity.entries().slice(-200).map((event) => ({ ...event, at: iso(event.at) })),
      };
      return JSON.stringify(redactValue(report), null, 2);
    },

    async exportDiagnostics(): Promise<ActionResult> {
      const path = await deps.saveDiagnostics(this.diagnostics());
      if (path === null) return { ok: false, message: 'Export cancelled.' };
      logger.info('diagnostics exported');
      return { ok: true, message: `Saved to ${path}.` };
    },

    closeWindow(): ActionResult {
      deps.closeWindow();
      return { ok: true };
    },

    quit(): ActionResult {
      deps.quit();
      return { ok: true };
    },
  };
}

export type AppService = ReturnType<typeof createAppService>;
