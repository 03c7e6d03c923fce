/**
 * What the windows, the tray and the command line see: each connection's view (masked, never a
 * secret), the header, deltas as they happen, the tray's few urgent rows and the activity log.
 * Views are kept one connection at a time (state-feed.ts): the cost of one change does not grow
 * with the number of connections.
 */
import type { ActivityEntryView, ConnectionView, StateDelta } from '../../../preload/contract.js';
import { summarizeCounts } from '../app-summary.js';
import { estimatedExpiry } from '../keepalive/token-lifetime.js';
import { handoverStallsAt } from '../handover/stalled.js';
import { fingerprint } from '../redact.js';
import type { StorageStatus } from '../secrets/choose-secret-store.js';
import { keychainUnlisted } from '../secrets/storage-messages.js';
import type { ConnectionRecord, RefreshSettings } from '../settings/schema.js';
import { createStateFeed } from '../state-feed.js';
import { TRAY_CONNECTION_ROWS, trayStateOf, type TrayState } from '../tray-model.js';
import type { AppServiceDeps, Changed } from './deps.js';
import { MIN } from './results.js';
import { newTokensBy } from '../connections/new-tokens-by.js';

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

/** Who keeps it, since when, and whether a hand-over under way has stalled (handover/stalled.ts: needs the person). */
function keptByView(record: ConnectionRecord, refresh: RefreshSettings, now: number): NonNullable<ConnectionView['keptBy']> {
  const keptBy = record.keptBy!;
  const stallsAt = handoverStallsAt(record, refresh);
  const pending = keptBy.state === 'handing-over';
  return { keeper: keptBy.keeper, pending, since: keptBy.since, stalled: stallsAt !== null && stallsAt <= now, ...(pending ? { handoverId: keptBy.handoverId } : {}) };
}

export function createViews(deps: Pick<AppServiceDeps, 'settings' | 'vault' | 'keepAlive' | 'policy' | 'activity' | 'orphans' | 'storage' | 'damagedDatabase' | 'stateDatabase' | 'clock'>) {
  const { settings, vault, keepAlive, clock } = deps;
  const sinceByConnection = new Map<string, { status: string; at: number }>();

  keepAlive.subscribe((event) => {
    if (event.kind === 'status') sinceByConnection.set(event.connectionId, { status: event.to, at: event.at });
  });
  /** When the current state began; an earlier state's time is never shown as this one's. */
  const sinceOf = (record: ConnectionRecord) => {
    const since = sinceByConnection.get(record.id);
    return since && since.status === record.status ? since.at : null;
  };

  function view(record: ConnectionRecord): ConnectionView {
    const secrets = vault.secretsOf(record.id);
    const refresh = settings.get().refresh;
    // External tokens are renewed by the app; pasted ones really die (a refresh token stored with
    // them by an earlier version cannot be used without its app's consumer key).
    const expiresAt = record.mode === 'external' || record.mode === 'manual' ? estimatedExpiry(record, refresh) : null;
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
      newTokensBy: newTokensBy(record),
      applicationKeyFingerprint: record.applicationKey ? fingerprint(record.applicationKey) : null,
      accessTokenFingerprint: secrets ? fingerprint(secrets.accessToken) : null,
      hasRefreshToken: Boolean(secrets?.refreshToken),
      snoozedUntil: deps.policy.snoozedUntil(record.id),
      busy,
      ...(record.keptBy ? { keptBy: keptByView(record, refresh, deps.clock.now()) } : {}),
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
      const database = deps.stateDatabase?.current() ?? null;
      const states = { serviceKeyRejected: keepAlive.serviceKeyRejected(), paused: keepAlive.isPaused(), pausedUntil: keepAlive.pausedUntil(), keychainLoading: vault.isLoading(), keychainUnlisted: problem !== null, damagedDatabase: Boolean(deps.damagedDatabase), stateDatabase: database?.problem ?? null };
      return {
        ...summarizeCounts(counts, deps.storage, { ...states, orphans }),
        paused: states.paused,
        storage: { kind: deps.storage.kind, detail: problem ? keychainUnlisted(problem) : STORAGE_DETAIL[deps.storage.kind] },
        serviceKeyRejected: states.serviceKeyRejected,
        userKey: { set: userKey !== null, fingerprint: userKey ? fingerprint(userKey) : null },
        ...(deps.damagedDatabase ? { damagedDatabase: deps.damagedDatabase } : {}),
        ...(database ? { stateDatabase: { problem: database.problem, since: database.since } } : {}),
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
  const changed: Changed = (scope) => feed.changed(scope);

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
    /** The activity log, newest first. */
    activity: (): ActivityEntryView[] => [...deps.activity.entries()].reverse(),
  };
}

export type Views = ReturnType<typeof createViews>;
