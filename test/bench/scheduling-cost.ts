/**
 * Scheduling cost: N connections over a simulated 24 hours on a fake clock. Counts timer arms,
 * wake-ups and CPU time per 1,000 jobs; the baseline is the least possible: one wake-up per
 * distinct due time. Two plans: every connection checked every 15 minutes, and every one
 * refreshed for a 15-minute Salesforce session, planned by keep-alive's own rule (renewed a
 * tenth of the lifetime early, jittered by at most a thirtieth of it; the storm guard's 7.5-min
 * gap does not bind): every 13–13.5 minutes, 4.5 jobs per connection an hour.
 */
import { nextExternalRun } from '../../main/core/keepalive/check-connection.js';
import { createScheduler, type JobOutcome } from '../../main/core/keepalive/scheduler.js';
import { minRefreshGapMs } from '../../main/core/keepalive/token-lifetime.js';
import { defaultSettings } from '../../main/core/settings/schema.js';
import { createFakeClock, type FakeClock } from '../support/fake-clock.js';
import { connectionRecord } from '../support/many-connections.js';
import { repeat, type Figure } from './stats.js';

const DAY = 24 * 3600 * 1000;
const INTERVAL = 15 * 60 * 1000;

type Plan = 'interval' | 'session';

/** 15-min sessions: what keep-alive plans after a refresh made now. */
function sessionPlan(clock: FakeClock): () => Promise<JobOutcome> {
  const refresh = { ...defaultSettings().refresh, sessionLifetimeMs: 15 * 60 * 1000 };
  const template = connectionRecord('Org', { mode: 'external', learnedLifetimeMs: refresh.sessionLifetimeMs });
  return async () => {
    const now = clock.now();
    const record = { ...template, tokenIssuedAt: now, tokenReceivedAt: now, lastRefreshedAt: now, lastVerifiedAt: now };
    // The storm guard as keep-alive keeps it: no refresh until the gap after this one has passed.
    const plan = nextExternalRun(record, { now: () => now, refresh, refreshBlockedUntil: (r) => now + minRefreshGapMs(r, refresh) });
    return { kind: 'done', nextDueAt: plan.at, ...(plan.latestAt !== undefined ? { latestAt: plan.latestAt } : {}) };
  };
}

async function measure(n: number, runs: number, plan: Plan) {
  let last = { runs: 0, wakeups: 0, idleWakeups: 0, arms: 0, distinctDueTimes: 0 };
  const cpu = await repeat(runs, 1, async () => {
    const clock = createFakeClock(0);
    let rng = 42;
    const random = () => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const dueTimes = new Set<number>();
    const scheduler = createScheduler({
      clock,
      concurrency: () => 4,
      backoff: () => ({ baseMs: 2000, capMs: 600_000 }),
      jitterMs: () => 60_000,
      random,
      run: plan === 'interval' ? async () => ({ kind: 'done', nextDueAt: clock.now() + INTERVAL }) : sessionPlan(clock),
    });
    for (let i = 0; i < n; i++) scheduler.schedule(`c${i}`, Math.floor(random() * INTERVAL));
    const before = process.cpuUsage();
    while (clock.monotonic() < DAY) {
      const next = clock.nextTimerAt();
      if (next === null || next > DAY) break;
      dueTimes.add(next);
      clock.advance(next - clock.monotonic());
      await scheduler.whenIdle();
    }
    const used = process.cpuUsage(before);
    const stats = scheduler.stats();
    last = { runs: stats.runs, wakeups: stats.wakeups, idleWakeups: stats.idleWakeups, arms: stats.arms, distinctDueTimes: dueTimes.size };
    scheduler.stop();
    return ((used.user + used.system) / 1000 / stats.runs) * 1000;
  });
  return { cpu, last };
}

export async function benchSchedulingCost(n: number, runs: number): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const plan of ['interval', 'session'] as const) {
    const { cpu, last } = await measure(n, runs, plan);
    const what = plan === 'interval' ? 'each checked every 15 min' : 'each refreshed for 15-min sessions';
    const wakeRatio = last.wakeups / Math.max(1, last.runs);
    figures.push(
      { name: `Scheduling: ${n} connections ${what} over 24 h (simulated), CPU per 1,000 jobs`, unit: 'ms', app: cpu, baseline: null, target: 'report', met: null, note: `${last.runs} jobs, ${last.arms} timer arms` },
      {
        name: `Scheduling: wake-ups vs due jobs, ${what}`,
        unit: 'count',
        app: { median: last.wakeups, min: last.wakeups, max: last.wakeups, runs: 1 },
        baseline: { median: last.runs, min: last.runs, max: last.runs, runs: 1 },
        target: 'wake-ups ≤ due jobs + 1 %, no polling',
        met: last.wakeups <= last.runs * 1.01 && last.idleWakeups === 0,
        note: `${last.idleWakeups} wake-ups found nothing due; wake-ups / jobs = ${wakeRatio.toFixed(3)}; ${(last.runs / n / 24).toFixed(1)} jobs per connection an hour`,
      },
    );
  }
  return figures;
}
