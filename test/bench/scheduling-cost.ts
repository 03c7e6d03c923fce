/**
 * Scheduling cost: N connections over a simulated 24 hours on a fake clock. Counts timer arms,
 * wake-ups and CPU time per 1,000 jobs; the baseline is the least possible: one wake-up per
 * distinct due time.
 */
import { createScheduler } from '../../main/core/keepalive/scheduler.js';
import { createFakeClock } from '../support/fake-clock.js';
import { repeat, type Figure } from './stats.js';

const DAY = 24 * 3600 * 1000;
const INTERVAL = 15 * 60 * 1000;

export async function benchSchedulingCost(n: number, runs: number): Promise<Figure[]> {
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
      run: async () => ({ kind: 'done', nextDueAt: clock.now() + INTERVAL }),
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
  const wakeRatio = last.wakeups / Math.max(1, last.runs);
  return [
    { name: `Scheduling: ${n} connections over 24 h (simulated), CPU per 1,000 jobs`, unit: 'ms', app: cpu, baseline: null, target: 'report', met: null, note: `${last.runs} jobs, ${last.arms} timer arms` },
    {
      name: 'Scheduling: wake-ups vs due jobs',
      unit: 'count',
      app: { median: last.wakeups, min: last.wakeups, max: last.wakeups, runs: 1 },
      baseline: { median: last.runs, min: last.runs, max: last.runs, runs: 1 },
      target: 'wake-ups ≤ due jobs + 1 %, no polling',
      met: last.wakeups <= last.runs * 1.01 && last.idleWakeups === 0,
      note: `${last.idleWakeups} wake-ups found nothing due; wake-ups / jobs = ${wakeRatio.toFixed(3)}`,
    },
  ];
}
