/**
 * Idle: the core with N healthy connections and nothing due, the app's tray presenter included
 * (its one timer for the minute mark at which the rows' times change), measured over windows of
 * a minute of real time: the main thread's busy time (event-loop utilization, not process CPU),
 * the wake-ups of every thread of the process (voluntary context switches: each is a thread
 * that slept and was woken), the scheduler's wake-ups and the native menu's rebuilds.
 * Baseline: the same process with no core, its windows interleaved with the app's.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { composeForBench } from './core-under-test.js';
import { trays } from './electron-tray-shim.js';
import { mainThreadWhile } from './main-thread.js';
import { startSandboxProcess } from './sandbox-process.js';
import { summarize, type Figure } from './stats.js';

/** Voluntary context switches of every live thread of this process. */
function wakeups(): number {
  let total = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      total += Number(readFileSync(`/proc/self/task/${tid}/status`, 'utf8').match(/^voluntary_ctxt_switches:\s+(\d+)/m)?.[1] ?? 0);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return total;
}

interface Window {
  readonly busyMs: number;
  readonly wakeups: number;
}

async function window(ms: number): Promise<Window> {
  const before = wakeups();
  const load = await mainThreadWhile(ms, undefined, { stalls: false });
  return { busyMs: load.busyMs, wakeups: wakeups() - before };
}

export async function benchIdle(n: number, windows: number, windowMs: number): Promise<Figure[]> {
  const sandbox = await startSandboxProcess(n);
  const app: Window[] = [];
  const base: Window[] = [];
  let schedulerWakeups = 0;
  let rebuilds = 0;
  try {
    for (let i = 0; i < windows; i++) {
      base.push(await window(windowMs));
      const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-idle-'));
      try {
        writeFileSync(join(dir, 'settings.json'), JSON.stringify(sandbox.settings));
        const store = createMemorySecretStore();
        for (const { account, secret } of sandbox.entries) await store.set(account, secret);
        const core = await composeForBench(dir, store);
        await core.secretsLoaded;
        core.keepAlive.start();
        // Start-up is not idle: its writes copied back (the worker that does it started) first.
        await core.sqlite.checkpointNow();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const before = core.keepAlive.scheduler.stats().wakeups;
        const menus = trays.at(-1)!.menusSet;
        app.push(await window(windowMs));
        schedulerWakeups += core.keepAlive.scheduler.stats().wakeups - before;
        rebuilds += trays.at(-1)!.menusSet - menus;
        core.keepAlive.stop();
        core.tray?.destroy();
        core.stateStore.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await sandbox.close();
  }
  const perMinute = (v: number) => (v * 60_000) / windowMs;
  const busy = summarize(app.map((w) => perMinute(w.busyMs)));
  const busyBase = summarize(base.map((w) => perMinute(w.busyMs)));
  const woken = summarize(app.map((w) => perMinute(w.wakeups)));
  const wokenBase = summarize(base.map((w) => perMinute(w.wakeups)));
  const minutes = (windows * windowMs) / 60_000;
  return [
    {
      name: `Idle: ${n} healthy connections, main-thread busy per minute, the tray presenter included`,
      unit: 'ms',
      app: busy,
      baseline: busyBase,
      target: 'the core’s share under 20 ms of main-thread time a minute',
      // Medians, so one window of noise on either side does not decide the verdict.
      met: busy.median - busyBase.median < 20,
      note: `the core's share ≈ ${(busy.median - busyBase.median).toFixed(1)} ms a minute (app minus the same process without a core), over ${windows} windows of ${windowMs / 1000} s`,
    },
    {
      name: 'Idle: wake-ups per minute, every thread of the process',
      unit: 'count',
      app: woken,
      baseline: wokenBase,
      target: 'no scheduler wake-up without work; the native menu rebuilt once a minute at most',
      met: schedulerWakeups === 0 && rebuilds <= Math.ceil(minutes),
      note: `voluntary context switches of all threads; scheduler wake-ups ${schedulerWakeups}, native menu rebuilds ${rebuilds} in ${minutes.toFixed(1)} min`,
    },
  ];
}
