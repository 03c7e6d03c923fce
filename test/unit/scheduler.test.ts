/** The keep-alive scheduler with a fake clock. */
import { describe, expect, it } from 'vitest';
import { createScheduler, MIN_STAGGER_STEP_MS, STAGGER_CHUNK, type JobOutcome } from '../../main/core/keepalive/scheduler.js';
import type { Clock } from '../../main/core/ports.js';
import { createFakeClock, type FakeClock } from '../support/fake-clock.js';

const HOUR = 3600_000;
const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function setup(options: { concurrency?: number; jitterMs?: number; outcome?: (id: string, clock: FakeClock) => JobOutcome; random?: () => number } = {}) {
  const clock = createFakeClock();
  const runs: Array<{ id: string; at: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const scheduler = createScheduler({
    clock,
    concurrency: () => options.concurrency ?? 4,
    backoff: () => ({ baseMs: 2_000, capMs: 10 * 60_000 }),
    jitterMs: () => options.jitterMs ?? 0,
    random: options.random ?? (() => 0.5),
    run: async (id) => {
      runs.push({ id, at: clock.now() });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await flush();
      inFlight--;
      return options.outcome ? options.outcome(id, clock) : { kind: 'done', nextDueAt: clock.now() + HOUR };
    },
  });
  const countsById = () => runs.reduce<Record<string, number>>((acc, r) => ((acc[r.id] = (acc[r.id] ?? 0) + 1), acc), {});
  return { clock, scheduler, runs, countsById, maxInFlight: () => maxInFlight };
}

async function advance(clock: FakeClock, ms: number, scheduler: ReturnType<typeof createScheduler>) {
  clock.advance(ms);
  await flush();
  await scheduler.whenIdle();
}

describe('scheduler', () => {
  it('500 connections due at the same instant: each runs exactly once, never more than the cap in flight', async () => {
    const { clock, scheduler, runs, countsById, maxInFlight } = setup({ concurrency: 4 });
    const at = clock.now() + 60_000;
    for (let i = 0; i < 500; i++) scheduler.schedule(`c${i}`, at);
    await advance(clock, 60_000, scheduler);
    expect(runs).toHaveLength(500);
    expect(Object.values(countsById()).every((n) => n === 1)).toBe(true);
    expect(maxInFlight()).toBe(4);
    expect(scheduler.stats().maxInFlight).toBe(4);
  });

  it('arms one timer for the earliest job, and none when idle (no polling)', async () => {
    const { clock, scheduler } = setup();
    expect(clock.pendingTimers()).toBe(0);
    scheduler.schedule('a', clock.now() + 10 * 60_000);
    scheduler.schedule('b', clock.now() + 5 * 60_000);
    expect(clock.pendingTimers()).toBe(1);
    expect(scheduler.dueAt('b')).toBe(clock.now() + 5 * 60_000);
    await advance(clock, 5 * 60_000, scheduler);
    expect(scheduler.stats().idleWakeups).toBe(0);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('a run that ends keeps the timer already set for the earliest due time; a replan (after sleep) sets it again', async () => {
    const { clock, scheduler } = setup({ concurrency: 2 });
    scheduler.schedule('first', clock.now() + 30 * 60_000);
    for (let i = 0; i < 50; i++) scheduler.schedule(`c${i}`, clock.now());
    await advance(clock, 0, scheduler);
    // 50 runs ended, each planning its next run an hour on: the timer for `first` was never set again.
    expect(scheduler.stats().arms).toBeLessThanOrEqual(3);
    expect(clock.pendingTimers()).toBe(1);
    const before = scheduler.stats().arms;
    scheduler.replan();
    expect(scheduler.stats().arms).toBe(before + 1);
    expect(clock.pendingTimers()).toBe(1);
    await advance(clock, 30 * 60_000, scheduler);
    expect(scheduler.stats().idleWakeups).toBe(0);
  });

  it('jitter moves a planned time later, within its bound, never earlier', () => {
    for (const r of [0, 0.25, 0.999]) {
      const { clock, scheduler } = setup({ jitterMs: 60_000, random: () => r });
      const at = clock.now() + HOUR;
      scheduler.schedule('a', at);
      const planned = scheduler.dueAt('a')!;
      expect(planned).toBeGreaterThanOrEqual(at);
      expect(planned).toBeLessThan(at + 60_000);
      expect(planned).toBe(at + Math.floor(r * 60_000));
    }
  });

  it('jitter never moves a run past its latest moment (a refresh must beat the expiry)', async () => {
    for (const r of [0, 0.5, 0.999]) {
      const { clock, scheduler } = setup({ jitterMs: 60_000, random: () => r, outcome: (_id, c) => ({ kind: 'done', nextDueAt: c.now() + HOUR, latestAt: c.now() + HOUR + 10_000 }) });
      const at = clock.now() + HOUR;
      scheduler.schedule('a', at, at + 20_000);
      expect(scheduler.dueAt('a')).toBe(at + Math.floor(r * 20_000));
      // A run that ends plans within its own window too.
      await advance(clock, scheduler.dueAt('a')! - clock.now(), scheduler);
      expect(scheduler.dueAt('a')! - clock.now()).toBe(HOUR + Math.floor(r * 10_000));
      // A window already closed (latest before the earliest): no jitter at all.
      scheduler.remove('a');
      scheduler.schedule('a', at + 2 * HOUR, at + HOUR);
      expect(scheduler.dueAt('a')).toBe(at + 2 * HOUR);
    }
  });

  it('Retry-After: 30 delays the next try by at least 30 s', async () => {
    let first = true;
    const { clock, scheduler, runs } = setup({ random: () => 0, outcome: () => (first ? ((first = false), { kind: 'retry', retryAfterMs: 30_000 }) : { kind: 'done', nextDueAt: null }) });
    scheduler.schedule('a', clock.now());
    await advance(clock, 0, scheduler);
    expect(scheduler.dueAt('a')).toBe(runs[0]!.at + 30_000);
    await advance(clock, 29_999, scheduler);
    expect(runs).toHaveLength(1);
    await advance(clock, 1, scheduler);
    expect(runs).toHaveLength(2);
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(30_000);
  });

  it('backoff grows exponentially with full jitter and is capped', async () => {
    const { clock, scheduler } = setup({ random: () => 0.999999, outcome: () => ({ kind: 'retry', retryAfterMs: null }) });
    scheduler.schedule('a', clock.now());
    const delays: number[] = [];
    for (let i = 0; i < 14; i++) {
      await advance(clock, i === 0 ? 0 : delays[i - 1]!, scheduler);
      delays.push(scheduler.dueAt('a')! - clock.now());
    }
    expect(delays.slice(0, 4)).toEqual([1999, 3999, 7999, 15999]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(10 * 60_000);
    expect(delays.at(-1)).toBe(Math.floor(0.999999 * 10 * 60_000));
  });

  it.each([+2 * HOUR, -2 * HOUR])('a %d ms wall-clock jump causes at most one attempt per connection', async (jump) => {
    const { clock, scheduler, countsById } = setup({ jitterMs: 0 });
    for (let i = 0; i < 50; i++) scheduler.schedule(`c${i}`, clock.now() + (i + 1) * 60_000);
    clock.jumpWall(jump);
    await advance(clock, 70 * 60_000, scheduler);
    expect(Object.values(countsById()).every((n) => n <= 1)).toBe(true);
  });

  it('an 8-hour sleep: on resume each connection runs once, staggered, not in a burst', async () => {
    const { clock, scheduler, runs, countsById } = setup({ jitterMs: 0 });
    for (let i = 0; i < 20; i++) scheduler.schedule(`c${i}`, clock.now() + 15 * 60_000);
    // Suspend: the wall clock moves 8 h, the monotonic clock does not; the OS reports resume.
    clock.jumpWall(8 * HOUR);
    scheduler.replan();
    await advance(clock, 5 * 60_000, scheduler);
    expect(Object.values(countsById())).toEqual(Array(20).fill(1));
    const times = runs.map((r) => r.at).sort((a, b) => a - b);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(19 * 2_000);
  });

  it('a resume with 5,000 overdue starts at most 25 runs a second (40 ms apart), each once, so the main thread stays mostly free', async () => {
    const { clock, scheduler, runs, countsById } = setup({ jitterMs: 0, concurrency: 8 });
    for (let i = 0; i < 5_000; i++) scheduler.schedule(`c${i}`, clock.now() + 15 * 60_000);
    clock.jumpWall(8 * HOUR);
    scheduler.replan();
    for (let t = 0; t < 210; t++) await advance(clock, 1_000, scheduler);
    expect(Object.keys(countsById())).toHaveLength(5_000);
    expect(Math.max(...Object.values(countsById()))).toBe(1);
    const perSecond = new Map<number, number>();
    for (const r of runs) perSecond.set(Math.floor(r.at / 1_000), (perSecond.get(Math.floor(r.at / 1_000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(26);
    const times = runs.map((r) => r.at).sort((a, b) => a - b);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(4_999 * 40 - 40);
  });

  it('a resume with 10,000 overdue re-plans them STAGGER_CHUNK per turn, earliest due first, at the same times as all at once, and runs none meanwhile', async () => {
    const fake = createFakeClock();
    // Each timer callback is one turn of the event loop: count what each plans.
    let planned = 0;
    const perTurn: number[] = [];
    const clock: Clock = { ...fake, setTimer: (ms, fire) => fake.setTimer(ms, () => { const before = planned; fire(); perTurn.push(planned - before); }) };
    const runs: string[] = [];
    const plannedAt = new Map<string, number>();
    const scheduler = createScheduler({
      clock,
      concurrency: () => 8,
      backoff: () => ({ baseMs: 2_000, capMs: 60_000 }),
      jitterMs: () => 0,
      random: () => 0.5,
      run: async (id) => (runs.push(id), { kind: 'done', nextDueAt: null }),
      onPlanned: (id) => {
        planned++;
        plannedAt.set(id, scheduler.dueAt(id)!);
      },
    });
    const N = 10_000;
    // Due in reverse order of their names, so "earliest due first" is not the insertion order.
    for (let i = 0; i < N; i++) scheduler.schedule(`c${i}`, fake.now() + 15 * 60_000 + (N - i) * 10);
    fake.jumpWall(8 * HOUR);
    const resumedAt = fake.now();
    planned = 0;
    perTurn.length = 0;
    scheduler.replan();
    const inReplanCall = planned;
    for (let i = 0; i < 100 && planned < N; i++) fake.advance(0);

    expect(inReplanCall).toBe(STAGGER_CHUNK);
    expect(planned).toBe(N);
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(STAGGER_CHUNK);
    expect(perTurn.filter((n) => n > 0).length).toBeGreaterThanOrEqual(N / STAGGER_CHUNK - 1);
    // The earliest due first, 40 ms apart (random 0.5: the middle of each step), as one synchronous pass placed them.
    for (let rank = 0; rank < N; rank++) expect(plannedAt.get(`c${N - 1 - rank}`)).toBe(resumedAt + Math.max(1, Math.floor(rank * MIN_STAGGER_STEP_MS + 0.5 * MIN_STAGGER_STEP_MS)));
    // Nothing ran while the re-plan was under way: the first run is 20 ms after the resume.
    expect(runs).toHaveLength(0);
    await advance(fake, 30, scheduler);
    expect(runs).toEqual([`c${N - 1}`]);
    scheduler.stop();
  });

  it('a second re-plan while one is under way (a resume, then the unlock) takes it over at the same pace: no two planned runs closer than the step', () => {
    const { clock, scheduler } = setup({ jitterMs: 0, concurrency: 8 });
    const N = 10_000;
    for (let i = 0; i < N; i++) scheduler.schedule(`c${i}`, clock.now() + 15 * 60_000);
    clock.jumpWall(8 * HOUR);
    scheduler.replan();
    scheduler.replan();
    for (let i = 0; i < 100 && [...Array(N).keys()].some((i) => scheduler.dueAt(`c${i}`)! <= clock.now()); i++) clock.advance(0);
    const times = [...Array(N).keys()].map((i) => scheduler.dueAt(`c${i}`)!).sort((a, b) => a - b);
    expect(times[0]).toBeGreaterThan(clock.now());
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_STAGGER_STEP_MS);
    scheduler.stop();
  });

  it('refresh now joins a run in flight (single flight) and works while paused', async () => {
    let release: (o: JobOutcome) => void = () => undefined;
    const clock = createFakeClock();
    let calls = 0;
    const scheduler = createScheduler({ clock, concurrency: () => 2, backoff: () => ({ baseMs: 1, capMs: 1 }), jitterMs: () => 0, run: () => (calls++, new Promise((r) => (release = r))) });
    scheduler.pause();
    const a = scheduler.runNow('x');
    const b = scheduler.runNow('x');
    await flush();
    expect(calls).toBe(1);
    release({ kind: 'done', nextDueAt: clock.now() + HOUR });
    expect(await a).toEqual(await b);
    expect(clock.pendingTimers()).toBe(0);
    scheduler.resume();
    expect(clock.pendingTimers()).toBe(1);
  });

  it('a job with no next time (needs the user) is not run again automatically', async () => {
    const { clock, scheduler, runs } = setup({ outcome: () => ({ kind: 'done', nextDueAt: null }) });
    scheduler.schedule('a', clock.now());
    await advance(clock, 0, scheduler);
    await advance(clock, 24 * HOUR, scheduler);
    expect(runs).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('scheduler: long delays', () => {
  it('clamps a timer longer than 2^31−1 ms (Node would fire it at once) and still runs the job when due', async () => {
    const { clock, scheduler, runs } = setup();
    const delays: number[] = [];
    const setTimer = clock.setTimer.bind(clock);
    clock.setTimer = (delay, fire) => (delays.push(delay), setTimer(delay, fire));
    scheduler.schedule('far', clock.now() + 40 * 24 * HOUR);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    await advance(clock, 30 * 24 * HOUR, scheduler);
    expect(runs).toEqual([]);
    await advance(clock, 10 * 24 * HOUR, scheduler);
    expect(runs.map((r) => r.id)).toEqual(['far']);
  });
});
