/**
 * Keeps every connection fresh and verified: plans each connection's next run, runs the mode's
 * check through the scheduler, records the result, emits events (activity log, tray,
 * notifications), and stops all automatic work while Data2CRM rejects the user key.
 */
import { unqueued, type ConnectionQueue } from '../connections/connection-queue.js';
import type { Clock, Logger } from '../ports.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { SettingsRepository } from '../settings/settings-repository.js';
import { checkConnection, estimatedExpiry, type CheckContext } from './check-connection.js';
import { NEEDS_USER, type ConnectionEvent } from './events.js';
import type { NotificationPolicy, Notice } from './notification-policy.js';
import { createScheduler, type JobOutcome, type JobReason } from './scheduler.js';
import { guardStorage } from './storage-guard.js';

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
}

export function createKeepAlive(deps: KeepAliveDeps) {
  const { settings, clock, logger } = deps;
  const listeners = new Set<(event: ConnectionEvent) => void>();
  const busy = new Set<string>();
  let serviceKeyRejected = false;
  let pending: ConnectionEvent[] = [];
  let flushTimer: { cancel(): void } | null = null;
  const refresh = () => settings.get().refresh;
  const find = (id: string) => settings.get().connections.find((c) => c.id === id);

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

  function firstRunAt(record: ConnectionRecord): number | null {
    if (NEEDS_USER.has(record.status) || record.status === 'disconnecting') return null;
    const r = refresh();
    const verified = record.lastVerifiedAt ?? 0;
    if (record.pushPending) return clock.now();
    if (record.mode === 'internal') return verified + r.internalIntervalMs;
    const verifyAt = verified + r.verifyIntervalMs;
    const expiry = record.mode === 'external' ? estimatedExpiry(record, r) : null;
    return expiry === null ? verifyAt : Math.min(verifyAt, expiry - r.skewMs);
  }

  const run = (id: string, reason: JobReason): Promise<JobOutcome> => (deps.queue ?? unqueued).run(id, () => runQueued(id, reason));

  async function runQueued(id: string, reason: JobReason): Promise<JobOutcome> {
    const record = find(id);
    if (!record || record.status === 'disconnecting') return { kind: 'done', nextDueAt: null };
    if (serviceKeyRejected) return { kind: 'done', nextDueAt: null };
    busy.add(id);
    try {
      const ctx = { ...deps.context(), now: () => clock.now(), refresh: refresh() };
      const result = await guardStorage(record, ctx.vault, () => checkConnection(record, ctx, reason));
      if (result.serviceKeyRejected) {
        setServiceKeyRejected(true, result.detail);
        return { kind: 'done', nextDueAt: null };
      }
      const current = find(id);
      if (!current) return { kind: 'done', nextDueAt: null }; // disconnected meanwhile
      const next = { ...current, ...result.patch, status: result.status, statusDetail: result.detail };
      settings.update((s) => ({ ...s, connections: s.connections.map((c) => (c.id === id ? next : c)) }));
      const base = { connectionId: id, label: current.label, at: clock.now(), from: current.status, to: result.status, detail: result.detail, consecutiveFailures: next.consecutiveFailures };
      // A lasting problem is told once, when it reaches the notify threshold, even with no change of state.
      if (current.status !== result.status || (result.outcome.kind === 'retry' && next.consecutiveFailures === refresh().notifyAfterFailures)) emit({ kind: 'status', ...base });
      if (result.patch.lastRefreshedAt !== undefined && result.status === 'healthy') emit({ kind: 'renewed', ...base });
      return result.outcome;
    } finally {
      busy.delete(id);
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
  });

  function setServiceKeyRejected(value: boolean, detail: string | null = null): void {
    if (serviceKeyRejected === value) return;
    serviceKeyRejected = value;
    logger.warn(value ? 'keep-alive: Data2CRM rejected the user key; automatic work stopped' : 'keep-alive: user key accepted again', { detail });
    if (!value) start();
  }

  function start(): void {
    for (const record of settings.get().connections) {
      const at = firstRunAt(record);
      if (at !== null) scheduler.schedule(record.id, at);
    }
    // Connections overdue at startup run once each, staggered.
    scheduler.replan();
  }

  return {
    start,
    /** A new or re-authorized connection: plan its next check. */
    track(record: ConnectionRecord): void {
      const at = firstRunAt(record);
      if (at === null) scheduler.remove(record.id);
      else scheduler.schedule(record.id, at);
    },
    forget: (id: string) => scheduler.remove(id),
    refreshNow: (id: string) => scheduler.runNow(id),
    pause: () => scheduler.pause(),
    resume: () => scheduler.resume(),
    isPaused: () => scheduler.isPaused(),
    /** powerMonitor resume, coming back online. */
    replan: () => scheduler.replan(),
    userKeyReplaced: () => setServiceKeyRejected(false),
    serviceKeyRejected: () => serviceKeyRejected,
    isBusy: (id: string) => busy.has(id),
    subscribe(listener: (event: ConnectionEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    whenIdle: () => scheduler.whenIdle(),
    scheduler,
    stop: () => {
      scheduler.stop();
      flushTimer?.cancel();
    },
  };
}

export type KeepAlive = ReturnType<typeof createKeepAlive>;
