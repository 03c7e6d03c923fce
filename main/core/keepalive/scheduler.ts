/**
 * One timer for every connection: always armed for the earliest due job, never polling. Due jobs
 * run under a global concurrency cap, one at a time per connection (a second request joins the
 * first). Transient failures come back with capped, jittered backoff (at least Retry-After).
 * After sleep, coming online, or a wall-clock jump, overdue jobs are staggered, so a late timer
 * never makes a storm and never runs a connection twice.
 */
import type { Clock, TimerHandle } from '../ports.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';

export type JobReason = 'scheduled' | 'manual';

export type JobOutcome =
  /** Finished; run again at nextDueAt (wall ms), or never automatically (null: the user must act). */
  | { kind: 'done'; nextDueAt: number | null }
  /** A transient failure: try again after backoff, at least retryAfterMs. */
  | { kind: 'retry'; retryAfterMs: number | null };

/** The least time between two runs of one connection. */
const MIN_GAP_MS = 1_000;

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly run: (id: string, reason: JobReason) => Promise<JobOutcome>;
  readonly concurrency: () => number;
  readonly backoff: () => BackoffPolicy;
  /** Planned times move earlier by up to this much (never later: a refresh must beat the expiry). */
  readonly jitterMs: () => number;
  /** Spacing of overdue jobs after a resume or clock jump. */
  readonly staggerMs?: number;
  readonly random?: () => number;
  /** A difference between wall and monotonic progress above this is a clock jump. */
  readonly jumpThresholdMs?: number;
  readonly onError?: (id: string, error: unknown) => void;
}

export interface SchedulerStats {
  /** Timer arms, wake-ups, and wake-ups that found nothing due. */
  readonly arms: number;
  readonly wakeups: number;
  readonly idleWakeups: number;
  readonly runs: number;
  readonly maxInFlight: number;
}

export function createScheduler(options: SchedulerOptions) {
  const { clock } = options;
  const random = options.random ?? Math.random;
  const staggerMs = options.staggerMs ?? 2_000;
  const jumpThresholdMs = options.jumpThresholdMs ?? 60_000;

  const due = new Map<string, number>(); // id → wall time
  const attempts = new Map<string, number>();
  const queue: Array<{ id: string; reason: JobReason }> = [];
  const inFlight = new Map<string, Promise<JobOutcome>>();
  const waiters = new Map<string, Array<(o: JobOutcome) => void>>();
  let timer: TimerHandle | null = null;
  let armedAt: { wall: number; mono: number } | null = null;
  let paused = false;
  let idleResolvers: Array<() => void> = [];
  const stats = { arms: 0, wakeups: 0, idleWakeups: 0, runs: 0, maxInFlight: 0 };

  const jittered = (at: number) => at - Math.floor(random() * options.jitterMs());

  function arm(): void {
    timer?.cancel();
    timer = null;
    if (paused || due.size === 0) return;
    let earliest = Infinity;
    for (const at of due.values()) earliest = Math.min(earliest, at);
    const now = clock.now();
    armedAt = { wall: now, mono: clock.monotonic() };
    stats.arms++;
    timer = clock.setTimer(Math.max(0, earliest - now), wake);
  }

  function wake(): void {
    timer = null;
    stats.wakeups++;
    const now = clock.now();
    if (armedAt) {
      const wallElapsed = now - armedAt.wall;
      const monoElapsed = clock.monotonic() - armedAt.mono;
      if (Math.abs(wallElapsed - monoElapsed) > jumpThresholdMs) staggerOverdue(now);
    }
    const ready = [...due].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    if (ready.length === 0) stats.idleWakeups++;
    for (const [id] of ready) enqueue(id, 'scheduled');
    pump();
    arm();
  }

  function staggerOverdue(now: number): void {
    const overdue = [...due].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    overdue.forEach(([id], index) => due.set(id, now + index * staggerMs + Math.floor(random() * staggerMs)));
  }

  function enqueue(id: string, reason: JobReason, front = false): void {
    due.delete(id);
    if (inFlight.has(id) || queue.some((q) => q.id === id)) return;
    if (front) queue.unshift({ id, reason });
    else queue.push({ id, reason });
  }

  function pump(): void {
    while (inFlight.size < Math.max(1, options.concurrency()) && queue.length > 0) start(queue.shift()!);
    if (inFlight.size === 0 && queue.length === 0) {
      const resolvers = idleResolvers;
      idleResolvers = [];
      for (const resolve of resolvers) resolve();
    }
  }

  function start({ id, reason }: { id: string; reason: JobReason }): void {
    stats.runs++;
    const running = options.run(id, reason).catch((error: unknown): JobOutcome => {
      // A bug in a job must not stop the others: report it and retry later.
      options.onError?.(id, error);
      return { kind: 'retry', retryAfterMs: null };
    });
    inFlight.set(id, running);
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight.size);
    void running.then((outcome) => {
      inFlight.delete(id);
      if (!removed.has(id)) plan(id, outcome);
      removed.delete(id);
      for (const resolve of waiters.get(id) ?? []) resolve(outcome);
      waiters.delete(id);
      pump();
      arm();
    });
  }

  const removed = new Set<string>();

  function plan(id: string, outcome: JobOutcome): void {
    const now = clock.now();
    if (outcome.kind === 'done') {
      attempts.delete(id);
      // Never straight again: a job that plans "now" must not spin.
      if (outcome.nextDueAt !== null) due.set(id, Math.max(now + MIN_GAP_MS, jittered(outcome.nextDueAt)));
      return;
    }
    const attempt = attempts.get(id) ?? 0;
    attempts.set(id, attempt + 1);
    due.set(id, now + retryDelay(attempt, outcome.retryAfterMs, options.backoff(), random));
  }

  return {
    /** Plans (or re-plans) a connection's next run at a wall time; jitter makes it slightly earlier. */
    schedule(id: string, at: number): void {
      removed.delete(id);
      if (inFlight.has(id) || queue.some((q) => q.id === id)) return;
      due.set(id, Math.max(clock.now(), jittered(at)));
      arm();
    },
    remove(id: string): void {
      due.delete(id);
      attempts.delete(id);
      const index = queue.findIndex((q) => q.id === id);
      if (index >= 0) queue.splice(index, 1);
      if (inFlight.has(id)) removed.add(id);
      arm();
    },
    /** Run now (tray "Refresh now"); joins a run already in flight. Works while paused. */
    runNow(id: string): Promise<JobOutcome> {
      const running = inFlight.get(id);
      if (running) return running;
      const result = new Promise<JobOutcome>((resolve) => waiters.set(id, [...(waiters.get(id) ?? []), resolve]));
      enqueue(id, 'manual', true);
      pump();
      return result;
    },
    pause(): void {
      paused = true;
      arm();
    },
    resume(): void {
      paused = false;
      arm();
    },
    isPaused: () => paused,
    /** After sleep, coming online or a clock change: overdue jobs run once each, staggered. */
    replan(): void {
      staggerOverdue(clock.now());
      arm();
    },
    dueAt: (id: string): number | null => due.get(id) ?? null,
    attemptsOf: (id: string): number => attempts.get(id) ?? 0,
    inFlightCount: () => inFlight.size,
    /** Resolves when nothing is queued or running. */
    whenIdle(): Promise<void> {
      if (inFlight.size === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleResolvers.push(resolve));
    },
    stats: (): SchedulerStats => ({ ...stats }),
    stop(): void {
      timer?.cancel();
      timer = null;
      due.clear();
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
