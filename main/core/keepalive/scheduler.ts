/**
 * One timer for every connection: always armed for the earliest due job, never polling. Due jobs
 * run under a global concurrency cap, one at a time per connection (a second request joins the
 * first). Transient failures come back with capped, jittered backoff (at least Retry-After).
 * After sleep, coming online, or a wall-clock jump, overdue jobs are staggered, so a late timer
 * never makes a storm and never runs a connection twice.
 */
import type { Clock, TimerHandle } from '../ports.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import { MinHeap, type HeapEntry } from './min-heap.js';
import { CONFIRM_MS, type Timeline } from './timeline.js';

export type JobReason = 'scheduled' | 'manual';

export type JobOutcome =
  /**
   * Finished; run again at nextDueAt (wall ms: the earliest moment the next run can do useful
   * work), or never automatically (null: the user must act). Jitter only moves it later, and never
   * past latestAt (a refresh must still beat the expiry).
   */
  | { kind: 'done'; nextDueAt: number | null; latestAt?: number }
  /** A transient failure: try again after backoff, at least retryAfterMs. */
  | { kind: 'retry'; retryAfterMs: number | null };

/** The least time between two runs of one connection. */
const MIN_GAP_MS = 1_000;
/** Overdue runs after a resume are spread over at most this long… */
const MAX_STAGGER_SPREAD_MS = 60_000;
/**
 * …but never closer than this: at most 25 overdue runs a second, so a catch-up of thousands keeps
 * the main thread mostly free (a run costs a few ms of it: two HTTP calls, its row, its event).
 * 5,000 overdue then take about 3.5 min instead of a minute at full load.
 */
export const MIN_STAGGER_STEP_MS = 40;
/**
 * Overdue runs re-planned per turn after a resume: the rest follow on the next turns (a zero
 * timer each), so the main thread is never held for all N at once. The first turn plans the
 * earliest-due ones, whose runs come first; the others' planned times are seconds away.
 */
export const STAGGER_CHUNK = 500;
/** Node fires a longer timer at once (it overflows a 32-bit signed int). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly run: (id: string, reason: JobReason) => Promise<JobOutcome>;
  readonly concurrency: () => number;
  readonly backoff: () => BackoffPolicy;
  /**
   * Planned times move later by up to this much, so connections never fire in lockstep. Never
   * earlier: a planned time is the earliest moment a run can do useful work (a refresh the storm
   * guard allows), and a run before it would only verify and plan again.
   */
  readonly jitterMs: () => number;
  /** Spacing of overdue jobs after a resume or clock jump. */
  readonly staggerMs?: number;
  readonly random?: () => number;
  /** A difference between wall and monotonic progress above this is a clock jump. */
  readonly jumpThresholdMs?: number;
  readonly onError?: (id: string, error: unknown) => void;
  /** Looked at on every wake-up: shifts stored times after a clock jump (see timeline.ts). */
  readonly timeline?: Timeline;
  /** A connection's planned run changed (its view shows when the next try is). */
  readonly onPlanned?: (id: string) => void;
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

  // Planned runs: id → the heap's own entry (one object per planned run; a heap entry that is not
  // the one here any more was replaced or removed, and is skipped).
  const due = new Map<string, HeapEntry>();
  const heap = new MinHeap();
  const attempts = new Map<string, number>();
  const queue: Array<{ id: string; reason: JobReason }> = [];
  const queued = new Set<string>();
  const inFlight = new Map<string, Promise<JobOutcome>>();
  const waiters = new Map<string, Array<(o: JobOutcome) => void>>();
  /** Removed while in flight: their outcome must not plan a next run. */
  const removed = new Set<string>();
  let timer: TimerHandle | null = null;
  let armedAt: { wall: number; mono: number } | null = null;
  /** The due time the current timer was set for (null while confirming a gap). */
  let armedFor: number | null = null;
  let paused = false;
  /** Stopped for good (quitting): runs in flight finish, nothing new starts or is planned. */
  let stopped = false;
  let idleResolvers: Array<() => void> = [];
  /**
   * A re-plan of overdue runs under way (see STAGGER_CHUNK): what was overdue at `now` is placed
   * from `base` on, `step` apart; `index` of them are placed.
   */
  let stagger: { now: number; base: number; step: number; index: number } | null = null;
  let staggerTimer: TimerHandle | null = null;
  const stats = { arms: 0, wakeups: 0, idleWakeups: 0, runs: 0, maxInFlight: 0 };

  /** Later by up to jitterMs, but never past `latest` (and never earlier than `at`). */
  const jittered = (at: number, latest = Infinity) => at + Math.floor(random() * Math.max(0, Math.min(options.jitterMs(), latest - at)));

  function setDue(id: string, at: number): void {
    const entry: HeapEntry = { at, id };
    due.set(id, entry);
    heap.push(entry);
    options.onPlanned?.(id);
  }

  /** The earliest valid heap entry (stale ones, replaced or removed, are dropped on the way). */
  function earliestEntry() {
    for (let top = heap.peek(); top; top = heap.peek()) {
      if (due.get(top.id) === top) return top;
      heap.pop();
    }
    return undefined;
  }

  /** Removes and returns the ids due at or before `now`, earliest first. */
  function takeDue(now: number): string[] {
    const ready: string[] = [];
    for (let top = earliestEntry(); top && top.at <= now; top = earliestEntry()) {
      heap.pop();
      due.delete(top.id);
      ready.push(top.id);
    }
    return ready;
  }

  /** `fresh`: the clock may have jumped or slept since the timer was set, so it is set again whatever its due time. */
  function arm(fresh = false): void {
    // While overdue runs are being re-planned, none may be taken as due: the re-plan arms when done.
    if (stagger) {
      timer?.cancel();
      timer = null;
      armedFor = null;
      return;
    }
    const earliest = paused || stopped ? undefined : earliestEntry()?.at;
    const confirming = options.timeline?.hasPending() ?? false;
    // The timer set for this very due time stays (a run that ends plans a later one): no timer churn per run.
    if (timer && !fresh && earliest !== undefined && !confirming && earliest === armedFor) return;
    timer?.cancel();
    timer = null;
    armedFor = null;
    if (earliest === undefined) return;
    const now = clock.now();
    armedAt = { wall: now, mono: clock.monotonic() };
    stats.arms++;
    // An unexplained forward gap (sleep or clock change?) is looked at again once it is known.
    const delay = confirming ? CONFIRM_MS : Math.min(MAX_TIMER_MS, Math.max(0, earliest - now));
    if (!confirming) armedFor = earliest;
    timer = clock.setTimer(delay, wake);
  }

  function wake(): void {
    timer = null;
    armedFor = null;
    stats.wakeups++;
    options.timeline?.observe();
    // Sleep or a clock change? Until that is known, due times may be off by the gap: wait.
    if (options.timeline?.hasPending()) {
      stats.idleWakeups++;
      arm();
      return;
    }
    const now = clock.now();
    if (armedAt) {
      const wallElapsed = now - armedAt.wall;
      const monoElapsed = clock.monotonic() - armedAt.mono;
      if (Math.abs(wallElapsed - monoElapsed) > jumpThresholdMs) staggerOverdue(now);
    }
    // Overdue runs still waiting for their new time are not due: the re-plan arms when done.
    const ready = stagger ? [] : takeDue(now);
    if (ready.length === 0) stats.idleWakeups++;
    for (const id of ready) enqueue(id, 'scheduled');
    pump();
    arm();
  }

  /**
   * Overdue runs are spread out (a minute in all, or 40 ms apart for more than 1,500), so a resume
   * never makes a burst; STAGGER_CHUNK of them at a time, earliest due first.
   */
  function staggerOverdue(now: number): void {
    // One under way (a resume, then the unlock a moment later) is taken over: what it has not
    // placed yet is overdue too, and is placed after what it has, so the pace holds.
    const base = stagger ? Math.max(now, stagger.base + stagger.index * stagger.step) : now;
    stagger = null;
    staggerTimer?.cancel();
    staggerTimer = null;
    let overdue = 0;
    for (const entry of due.values()) if (entry.at <= now) overdue++;
    if (overdue === 0) return;
    stagger = { now, base, step: Math.max(MIN_STAGGER_STEP_MS, Math.min(staggerMs, MAX_STAGGER_SPREAD_MS / overdue)), index: 0 };
    staggerNext();
  }

  /** Places the next STAGGER_CHUNK overdue runs; the rest on the next turn, then the timer is set again. */
  function staggerNext(): void {
    const s = stagger;
    staggerTimer?.cancel();
    staggerTimer = null;
    if (!s) return;
    const batch: string[] = [];
    for (let top = earliestEntry(); top && top.at <= s.now && batch.length < STAGGER_CHUNK; top = earliestEntry()) {
      heap.pop();
      due.delete(top.id);
      batch.push(top.id);
    }
    // A placed run is always after `now` (at least 1 ms), so a later turn never takes it for an overdue one.
    for (const id of batch) setDue(id, s.base + Math.max(1, Math.floor(s.index++ * s.step + random() * s.step)));
    if (batch.length < STAGGER_CHUNK) {
      stagger = null;
      return;
    }
    staggerTimer = clock.setTimer(0, () => {
      staggerNext();
      if (!stagger) arm(true);
    });
  }

  function enqueue(id: string, reason: JobReason, front = false): void {
    due.delete(id);
    if (inFlight.has(id) || queued.has(id)) return;
    queued.add(id);
    if (front) queue.unshift({ id, reason });
    else queue.push({ id, reason });
  }

  function pump(): void {
    while (!stopped && inFlight.size < Math.max(1, options.concurrency()) && queue.length > 0) {
      const next = queue.shift()!;
      queued.delete(next.id);
      start(next);
    }
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

  function plan(id: string, outcome: JobOutcome): void {
    const now = clock.now();
    if (outcome.kind === 'done') {
      attempts.delete(id);
      // Never straight again: a job that plans "now" must not spin.
      if (outcome.nextDueAt !== null) setDue(id, Math.max(now + MIN_GAP_MS, jittered(outcome.nextDueAt, outcome.latestAt)));
      return;
    }
    const attempt = attempts.get(id) ?? 0;
    attempts.set(id, attempt + 1);
    setDue(id, now + retryDelay(attempt, outcome.retryAfterMs, options.backoff(), random));
  }

  return {
    /** Plans (or re-plans) a connection's next run at a wall time; jitter makes it slightly later, never past `latestAt`. */
    schedule(id: string, at: number, latestAt?: number): void {
      removed.delete(id);
      if (inFlight.has(id) || queued.has(id)) return;
      setDue(id, Math.max(clock.now(), jittered(at, latestAt)));
      arm();
    },
    remove(id: string): void {
      if (due.delete(id)) options.onPlanned?.(id);
      attempts.delete(id);
      if (queued.delete(id)) queue.splice(queue.findIndex((q) => q.id === id), 1);
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
      arm(true);
    },
    isPaused: () => paused,
    /** After sleep, coming online or a clock change: overdue jobs run once each, staggered. */
    replan(): void {
      staggerOverdue(clock.now());
      arm(true);
    },
    /** The wall clock jumped: planned wall times move with it, so they keep their real distance. */
    shift(deltaMs: number): void {
      // A re-plan under way moves with the times it works on.
      if (stagger) stagger = { ...stagger, now: stagger.now + deltaMs, base: stagger.base + deltaMs };
      const planned = [...due.entries()];
      due.clear();
      heap.clear();
      for (const [id, entry] of planned) setDue(id, entry.at + deltaMs);
      armedAt = null;
      arm(true);
    },
    dueAt: (id: string): number | null => due.get(id)?.at ?? null,
    attemptsOf: (id: string): number => attempts.get(id) ?? 0,
    inFlightCount: () => inFlight.size,
    /** Resolves when nothing is queued or running. */
    whenIdle(): Promise<void> {
      if (inFlight.size === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleResolvers.push(resolve));
    },
    stats: (): SchedulerStats => ({ ...stats }),
    /** Quitting: the runs in flight finish (whenIdle says when); queued and planned ones never start. */
    stop(): void {
      stopped = true;
      timer?.cancel();
      timer = null;
      staggerTimer?.cancel();
      staggerTimer = null;
      stagger = null;
      due.clear();
      heap.clear();
      queue.length = 0;
      queued.clear();
      if (inFlight.size === 0) pump();
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
