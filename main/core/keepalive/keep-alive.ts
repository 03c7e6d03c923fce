/**
 * Keeps every connection fresh and verified: plans each connection's next run, runs the mode's
 * check through the scheduler, records the result, emits events (activity log, tray,
 * notifications), and stops all automatic work while Data2CRM rejects the user key (a global
 * state with one notification). Keeps stored times true through clock jumps (timeline.ts) and
 * refuses refresh storms by construction (the guard below). See README.md here.
 */
import { unqueued, type ConnectionQueue } from '../connections/connection-queue.js';
import type { Clock, Logger } from '../ports.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { SettingsRepository } from '../settings/settings-repository.js';
import { retryCeiling } from './backoff.js';
import { checkConnection, type CheckContext, type CheckResult } from './check-connection.js';
import { NEEDS_USER, type ConnectionEvent } from './events.js';
import type { NotificationPolicy, Notice } from './notification-policy.js';
import { externalRunPlan, type RunPlan } from './run-plan.js';
import { createScheduler, type JobOutcome, type JobReason } from './scheduler.js';
import { createKeyProbe } from './key-probe.js';
import { guardStorage } from './storage-guard.js';
import { createTimeline, type TimeMark } from './timeline.js';
import { minRefreshGapMs } from './token-lifetime.js';
import { storageFailureOf } from '../state-database/storage-failure.js';
import { nextTrouble } from './trouble.js';
import { newTokensBy } from '../connections/new-tokens-by.js';

export interface KeepAliveDeps {
  readonly settings: SettingsRepository;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly context: () => Omit<CheckContext, 'now' | 'refresh'>;
  readonly policy: NotificationPolicy;
  readonly notify: (notice: Notice) => void;
  /** Events within this window become one notification. */
  readonly coalesceMs?: number;
  readonly random?: () => number;
  /** Shared with the connection service: a run waits for user actions on its connection, and they for it. */
  readonly queue?: ConnectionQueue;
  /**
   * The state database was made by a newer version: nothing may be recorded, so nothing runs (not
   * even "Refresh now": a refresh would rotate tokens it could not record). Paused for good.
   */
  readonly readOnly?: boolean;
}

/** One finished check, as counted (the record is in the settings). */
export interface CheckedRun {
  readonly connectionId: string;
  readonly status: ConnectionRecord['status'];
  /** A new access token was obtained and Data2CRM took it. */
  readonly refreshed: boolean;
  readonly serviceKeyRejected: boolean;
}

/** The longest status detail kept (server texts are bounded before they reach state). */
const MAX_DETAIL = 280;
const bounded = (text: string | null) => (text !== null && text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text);

/** Data2CRM rejected the user key: one notice that opens Settings → Account. */
export const SERVICE_KEY_NOTICE: Notice = {
  title: 'Data2CRM rejected your user key',
  body: 'Automatic refresh is stopped for every connection. Click to enter a working key under Account.',
  connectionIds: [],
  openDialogFor: null,
  openAccount: true,
};

export function createKeepAlive(deps: KeepAliveDeps) {
  const { settings, clock, logger } = deps;
  const listeners = new Set<(event: ConnectionEvent) => void>();
  /** Told when a connection's busy flag or planned run changes (not its record: the settings say that). */
  const touchListeners = new Set<(id: string) => void>();
  const touched = (id: string) => touchListeners.forEach((listener) => listener(id));
  /** Told after every run: the keeper counts refreshes and failures by kind (/metrics). */
  const checkedListeners = new Set<(check: CheckedRun) => void>();
  const busy = new Set<string>();
  let serviceKeyRejected = false;
  const globalListeners = new Set<() => void>();
  const timeline = createTimeline(clock);
  /** The storm guard: when each connection last refreshed successfully (real time, see timeline). */
  const lastRefresh = new Map<string, TimeMark>();
  const guardLogged = new Set<string>();
  let pending: ConnectionEvent[] = [];
  let flushTimer: { cancel(): void } | null = null;
  const refresh = () => settings.get().refresh;
  const find = (id: string) => settings.connection(id);

  function emit(event: ConnectionEvent): void {
    for (const listener of listeners) listener(event);
    pending.push(event);
    flushTimer ??= clock.setTimer(deps.coalesceMs ?? 2_000, () => {
      flushTimer = null;
      const batch = pending;
      pending = [];
      const notice = deps.policy.decide(batch);
      if (notice) deps.notify(notice);
    });
  }

  /** The first run after a start or a change (see run-plan.ts for the rule). */
  function firstRun(record: ConnectionRecord): RunPlan | null {
    // Handed over to a keeper: it renews the connection; two refreshers would break a rotating token.
    if (record.status === 'disconnecting' || record.keptBy) return null;
    // New credentials Data2CRM has not received are sent in every mode, whatever the state, and at
    // once: Data2CRM holds a dead or old token until then, so jitter does not move it.
    if (record.pushPending) return { at: clock.now(), latestAt: clock.now() };
    if (NEEDS_USER.has(record.status)) return null;
    const r = refresh();
    const verified = record.lastVerifiedAt ?? 0;
    if (record.mode === 'internal') return { at: verified + r.internalIntervalMs };
    const verifyAt = verified + r.verifyIntervalMs;
    return record.mode === 'external' ? externalRunPlan(record, r, verifyAt, refreshBlockedUntil(record)) : { at: verifyAt };
  }

  /** The latest the next try of a failed run can come (its backoff's ceiling, or Retry-After). */
  function latestRetryAt(id: string, outcome: JobOutcome): number {
    if (outcome.kind !== 'retry') return clock.now();
    const r = refresh();
    return clock.now() + retryCeiling(scheduler.attemptsOf(id), outcome.retryAfterMs, { baseMs: r.backoffBaseMs, capMs: r.backoffCapMs });
  }

  /** When a refresh is allowed again (wall ms), or null when it is allowed now. */
  function refreshBlockedUntil(record: ConnectionRecord): number | null {
    const gap = minRefreshGapMs(record, refresh());
    const mark = lastRefresh.get(record.id);
    // After a restart only the stored wall time is left (a clock moved back counts as no time).
    const elapsed = mark ? timeline.elapsedSince(mark) : record.lastRefreshedAt === null ? Infinity : Math.max(0, clock.now() - record.lastRefreshedAt);
    return elapsed >= gap ? null : clock.now() + (gap - elapsed);
  }

  /** Any exception inside a check ends the run as a problem the user can read, with backoff. */
  async function safeCheck(record: ConnectionRecord, reason: JobReason): Promise<CheckResult> {
    try {
      const ctx: CheckContext = { ...deps.context(), now: () => clock.now(), refresh: refresh(), refreshBlockedUntil };
      return await guardStorage(record, ctx.vault, () => checkConnection(record, ctx, reason));
    } catch (error) {
      logger.error('keep-alive: check failed unexpectedly', { id: record.id, error: error instanceof Error ? error.name : typeof error });
      return { status: 'degraded', detail: 'The check failed unexpectedly inside the app; it is retried. If this keeps happening, export diagnostics from Activity.', patch: { consecutiveFailures: record.consecutiveFailures + 1 }, outcome: { kind: 'retry', retryAfterMs: null } };
    }
  }

  const run = (id: string, reason: JobReason): Promise<JobOutcome> => (deps.queue ?? unqueued).run(id, () => runQueued(id, reason));

  async function runQueued(id: string, reason: JobReason): Promise<JobOutcome> {
    timeline.observe();
    const record = find(id);
    if (!record || record.status === 'disconnecting' || record.keptBy) return { kind: 'done', nextDueAt: null };
    if (deps.readOnly) return { kind: 'done', nextDueAt: null };
    // While the key is rejected nothing runs by itself, but the user's "Refresh now" tries (once):
    // a check that ends healthy went through Data2CRM with the key, so the key works again.
    const keyRejectedBefore = serviceKeyRejected;
    if (keyRejectedBefore && reason !== 'manual') return { kind: 'done', nextDueAt: null };
    busy.add(id);
    touched(id);
    try {
      const result = await safeCheck(record, reason);
      if (result.patch.lastRefreshedAt !== undefined) {
        lastRefresh.set(id, timeline.mark());
        guardLogged.delete(id);
      }
      if (result.refreshBlocked && reason === 'scheduled' && !guardLogged.has(id)) {
        guardLogged.add(id);
        logger.error('keep-alive: a refresh was planned sooner than the minimum gap after the last one; verified instead', { id });
      }
      // The words are in the record; the status or code behind them is for the log.
      if (result.answer) logger.info('keep-alive: a check did not succeed', { id, status: result.status, answer: result.answer });
      const current = find(id);
      if (!current) return { kind: 'done', nextDueAt: null }; // disconnected meanwhile
      for (const listener of checkedListeners) listener({ connectionId: id, status: result.status, refreshed: result.patch.lastRefreshedAt !== undefined && result.status === 'healthy', serviceKeyRejected: Boolean(result.serviceKeyRejected) });
      if (result.serviceKeyRejected) {
        // The state is global; what this run already did (a refresh stored in the keychain) is kept.
        if (Object.keys(result.patch).length) updateRecord(id, { ...current, ...result.patch });
        setServiceKeyRejected(true, result.detail);
        return { kind: 'done', nextDueAt: null };
      }
      const trouble = nextTrouble(current, { status: result.status, retrying: result.outcome.kind === 'retry', patch: result.patch }, clock.now(), latestRetryAt(id, result.outcome), refresh());
      const next = { ...current, ...result.patch, ...trouble.fields, status: result.status, statusDetail: bounded(result.detail) };
      if (!updateRecord(id, next)) return { kind: 'retry', retryAfterMs: null };
      if (keyRejectedBefore && result.status === 'healthy') setServiceKeyRejected(false);
      const base = { connectionId: id, label: current.label, at: clock.now(), from: current.status, to: result.status, detail: next.statusDetail, consecutiveFailures: next.consecutiveFailures, newTokensBy: newTokensBy(current) };
      if (result.movedTo) emit({ kind: 'moved', ...base, detail: `Salesforce moved this org to ${result.movedTo}` });
      // A lasting problem is told once, when it has lasted long enough or costs Data2CRM its token, even with no change of state.
      if (current.status !== result.status || trouble.tellNow) emit({ kind: 'status', ...base, lastingTrouble: trouble.tellNow });
      if (result.patch.lastRefreshedAt !== undefined && result.status === 'healthy') emit({ kind: 'renewed', ...base });
      return result.outcome;
    } finally {
      busy.delete(id);
      touched(id);
    }
  }

  /**
   * Writes one record; false when the state database refuses it (the run is retried with backoff).
   * A refusal is logged and shown once by the database's health, not once per check.
   */
  function updateRecord(id: string, next: ConnectionRecord): boolean {
    try {
      settings.putConnection(next);
      return true;
    } catch (error) {
      if (!storageFailureOf(error)) logger.error('keep-alive: could not record a check result', { id, error: error instanceof Error ? error.name : typeof error });
      return false;
    }
  }

  const scheduler = createScheduler({
    clock,
    run,
    concurrency: () => refresh().concurrency,
    backoff: () => ({ baseMs: refresh().backoffBaseMs, capMs: refresh().backoffCapMs }),
    jitterMs: () => refresh().jitterMs,
    ...(deps.random ? { random: deps.random } : {}),
    onError: (id, error) => logger.error('keep-alive: check failed unexpectedly', { id, error }),
    timeline,
    onPlanned: touched,
  });

  // The wall clock jumped: stored wall times move with it, so ages and plans stay true.
  timeline.onShift((delta) => {
    const move = (t: number | null) => (t === null ? null : t + delta);
    try {
      settings.update((s) => ({ ...s, connections: s.connections.map((c) => ({ ...c, tokenReceivedAt: move(c.tokenReceivedAt), lastVerifiedAt: move(c.lastVerifiedAt), lastRefreshedAt: move(c.lastRefreshedAt), troubleSince: move(c.troubleSince) })) }));
    } catch {
      logger.error('keep-alive: could not record a clock change');
    }
    logger.info('keep-alive: the wall clock moved; stored times follow', { deltaMs: delta });
    scheduler.shift(delta);
  });

  function setServiceKeyRejected(value: boolean, detail: string | null = null): void {
    if (serviceKeyRejected === value) return;
    serviceKeyRejected = value;
    logger.warn(value ? 'keep-alive: Data2CRM rejected the user key; automatic work stopped' : 'keep-alive: user key accepted again', { detail });
    for (const listener of globalListeners) listener();
    if (value) {
      deps.notify(SERVICE_KEY_NOTICE);
      keyProbe.start();
    } else {
      keyProbe.stop();
      start();
    }
  }

  const keyProbe = createKeyProbe({
    clock,
    probe: async () => {
      const counted = await deps.context().data2crm.countApplications();
      if (counted.ok) return true;
      return counted.error.kind === 'service-key-rejected' ? false : null;
    },
    accepted: () => setServiceKeyRejected(false),
  });

  function start(): void {
    if (deps.readOnly) return;
    for (const record of settings.get().connections) {
      const plan = firstRun(record);
      if (plan !== null) scheduler.schedule(record.id, plan.at, plan.latestAt);
    }
    // Connections overdue at startup run once each, staggered.
    scheduler.replan();
  }

  let pausedUntil: number | null = null;
  return {
    start,
    /** A new or re-authorized connection: plan its next check. */
    track(record: ConnectionRecord): void {
      const plan = firstRun(record);
      if (plan === null) scheduler.remove(record.id);
      else scheduler.schedule(record.id, plan.at, plan.latestAt);
    },
    forget: (id: string) => scheduler.remove(id),
    refreshNow: (id: string) => scheduler.runNow(id),
    /** until: when a timed pause ends (wall ms), said wherever the pause is ("Paused until 10:41"). */
    pause: (until?: number) => {
      pausedUntil = until ?? null;
      scheduler.pause();
    },
    resume: () => {
      pausedUntil = null;
      if (!deps.readOnly) scheduler.resume();
    },
    isPaused: () => scheduler.isPaused(),
    pausedUntil: () => (scheduler.isPaused() ? pausedUntil : null),
    /**
     * Unlocking: overdue work runs, staggered. A forward gap still unexplained then is taken as a
     * sleep whose resume was missed (no shift): if it was a clock change instead, ages look longer
     * and refreshes come early, never late.
     */
    replan(): void {
      timeline.observe();
      if (timeline.hasPending()) timeline.resumed();
      scheduler.replan();
    },
    /** powerMonitor resume: the time just missed was sleep (not a clock change); then replan. */
    resumed(): void {
      timeline.resumed();
      scheduler.replan();
    },
    /** Data2CRM accepted the user key (e.g. a successful test): automatic work resumes. */
    userKeyAccepted: () => setServiceKeyRejected(false),
    /** Global state changed (the user key was rejected or accepted again). */
    onGlobalChange(listener: () => void): () => void {
      globalListeners.add(listener);
      return () => globalListeners.delete(listener);
    },
    /** When the next automatic run is planned (wall ms), e.g. to say "retrying in 2 min". */
    nextRunAt: (id: string) => scheduler.dueAt(id),
    timeline,
    userKeyReplaced: () => setServiceKeyRejected(false),
    serviceKeyRejected: () => serviceKeyRejected,
    isBusy: (id: string) => busy.has(id),
    /** A connection's busy flag or next planned run changed. */
    onTouched(listener: (id: string) => void): () => void {
      touchListeners.add(listener);
      return () => touchListeners.delete(listener);
    },
    subscribe(listener: (event: ConnectionEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Each finished check (not each change of state: a connection retrying runs many). */
    onChecked(listener: (check: CheckedRun) => void): () => void {
      checkedListeners.add(listener);
      return () => checkedListeners.delete(listener);
    },
    whenIdle: async () => {
      await keyProbe.idle();
      await scheduler.whenIdle();
    },
    scheduler,
    stop: () => {
      scheduler.stop();
      keyProbe.stop();
      flushTimer?.cancel();
    },
  };
}

export type KeepAlive = ReturnType<typeof createKeepAlive>;
