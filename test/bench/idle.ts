/**
 * Idle: the core with N healthy connections and nothing due, measured as main-thread busy time
 * (event-loop utilization, not process CPU) over windows of real time, and its wake-ups.
 * Baseline: the same process with no core, its windows interleaved with the app's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_AFTER_MS } from '../../main/adapters/sqlite-checkpointer.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { composeForBench } from './core-under-test.js';
import { mainThreadWhile } from './main-thread.js';
import { seedConnections } from './seed.js';
import { summarize, type Figure } from './stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchIdle(n: number, windows: number, windowMs: number): Promise<Figure[]> {
  const sandbox = await startSandbox();
  const seedStore = createMemorySecretStore();
  const seeded = await seedConnections(sandbox, n, { store: seedStore });
  const entries = await seedStore.findAll();
  const appBusy: number[] = [];
  const baseBusy: number[] = [];
  const wakeups: number[] = [];
  try {
    for (let i = 0; i < windows; i++) {
      baseBusy.push((await mainThreadWhile(windowMs, undefined, { stalls: false })).busyMs);
      const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-idle-'));
      try {
        writeFileSync(join(dir, 'settings.json'), JSON.stringify(seeded.settings));
        const store = createMemorySecretStore();
        for (const { account, secret } of entries) if (secret !== null) await store.set(account, secret);
        const core = await composeForBench(dir, store);
        await core.secretsLoaded;
        core.keepAlive.start();
        // Start-up is not idle: let it settle first, its writes' deferred checkpoint (and the worker that makes it) included.
        await sleep(CHECKPOINT_AFTER_MS + 1_000);
        const before = core.keepAlive.scheduler.stats();
        appBusy.push((await mainThreadWhile(windowMs, undefined, { stalls: false })).busyMs);
        wakeups.push(core.keepAlive.scheduler.stats().wakeups - before.wakeups);
        core.keepAlive.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await sandbox.close();
  }
  const app = summarize(appBusy);
  const baseline = summarize(baseBusy);
  const total = Math.round((windows * windowMs) / 1000);
  const totalWakeups = wakeups.reduce((a, b) => a + b, 0);
  return [
    {
      name: `Idle: ${n} healthy connections, main-thread busy per ${windowMs / 1000} s window (event-loop utilization)`,
      unit: 'ms',
      app,
      baseline,
      target: `the core's share under 20 ms of main-thread time in ${total} s`,
      // Medians, so one window of noise on either side does not decide the verdict.
      met: (app.median - baseline.median) * windows < 20,
      note: `the core's share ≈ ${((app.median - baseline.median) * windows).toFixed(1)} ms in ${total} s (app minus the same process without a core)`,
    },
    { name: 'Idle: wake-ups', unit: 'count', app: summarize(wakeups), baseline: null, target: 'zero wake-ups that do no work', met: totalWakeups === 0, note: `${totalWakeups} wake-ups in all` },
  ];
}
