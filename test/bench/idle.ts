/**
 * Idle: the core with N healthy connections and nothing due, for a span of real time, sampled in
 * windows: CPU time used and wake-ups. Baseline: the same process waiting with no core at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { composeForBench } from './core-under-test.js';
import { seedConnections } from './seed.js';
import { summarize, type Figure } from './stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cpuWhile(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await sleep(ms);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

export async function benchIdle(n: number, windows: number, windowMs: number): Promise<Figure[]> {
  const baselineCpu: number[] = [];
  for (let i = 0; i < windows; i++) baselineCpu.push(await cpuWhile(windowMs));

  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-'));
  try {
    const store = createMemorySecretStore();
    await seedConnections(sandbox, n, { store, settingsPath: join(dir, 'settings.json') });
    const core = await composeForBench(dir, store);
    core.keepAlive.start();
    await sleep(100);
    const appCpu: number[] = [];
    const wakeups: number[] = [];
    for (let i = 0; i < windows; i++) {
      const before = core.keepAlive.scheduler.stats();
      appCpu.push(await cpuWhile(windowMs));
      const after = core.keepAlive.scheduler.stats();
      wakeups.push(after.wakeups - before.wakeups);
    }
    core.keepAlive.stop();
    const totalCpu = appCpu.reduce((a, b) => a + b, 0);
    const totalBase = baselineCpu.reduce((a, b) => a + b, 0);
    const totalWakeups = wakeups.reduce((a, b) => a + b, 0);
    return [
      {
        name: `Idle: ${n} healthy connections, ${Math.round((windows * windowMs) / 1000)} s, CPU per ${windowMs / 1000} s window`,
        unit: 'ms',
        app: summarize(appCpu),
        baseline: summarize(baselineCpu),
        target: `under 20 ms of CPU in ${Math.round((windows * windowMs) / 1000)} s`,
        // Medians, so one window of start-up noise in either process does not decide the verdict.
        met: (summarize(appCpu).median - summarize(baselineCpu).median) * windows < 20,
        note: `total ${totalCpu.toFixed(1)} ms vs ${totalBase.toFixed(1)} ms for an empty process; the core's own share is the difference`,
      },
      { name: 'Idle: wake-ups', unit: 'count', app: summarize(wakeups), baseline: null, target: 'zero wake-ups that do no work', met: totalWakeups === 0, note: `${totalWakeups} wake-ups in all` },
    ];
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
