/**
 * One disk run in a fresh process (the parent may run it under strace): the whole core with its
 * real state database, keep-alive checking every connection against the sandbox (another
 * process) at the pace the settings give, on a clock the run moves (the scheduler, the commit
 * window and the checkpoint rule all on it, so hours pass in seconds; HTTP, SQLite, the worker
 * and the disk are real). Start-up is settled (its writes copied back) before the span starts.
 * Prints one JSON line: checks, refreshes, the simulated span and the kernel's page counters.
 * `node --import tsx test/bench/disk-child.ts '<json DiskRun>'`
 */
import { openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { createFakeClock } from '../support/fake-clock.js';
import { composeForBench } from './core-under-test.js';
import { ioDelta, ioSample } from './kernel-io.js';

export interface DiskRun {
  /** Holds settings.json and entries.json; the state database is made here. */
  readonly dir: string;
  /** Written "begin" and "end" around the span (strace counts between them). */
  readonly marker: string;
  readonly warmupMs: number;
  readonly spanMs: number;
  /** Stop earlier once this many checks ran in the span. */
  readonly maxChecks?: number;
}

export interface DiskResult {
  /** This process (its main thread's id). */
  readonly pid: number;
  readonly checks: number;
  readonly refreshes: number;
  readonly simulatedMs: number;
  readonly checkpoints: number;
  readonly dirtied: number;
  readonly mainDirtied: number;
  readonly cancelled: number;
}

const run = JSON.parse(process.argv[2]!) as DiskRun;
// The checkpoint worker never keeps a process alive, and every timer here is on the moved clock: this does, until the end.
const alive = setInterval(() => undefined, 60_000);
const store = createMemorySecretStore();
for (const { account, secret } of JSON.parse(readFileSync(join(run.dir, 'entries.json'), 'utf8')) as Array<{ account: string; secret: string }>) await store.set(account, secret);
const clock = createFakeClock(Date.now());
const core = await composeForBench(run.dir, store, { clock, stateOptions: { setTimer: clock.setTimer } });
await core.secretsLoaded;
let refreshes = 0;
core.keepAlive.subscribe((event) => {
  if (event.kind === 'renewed') refreshes++;
});
core.keepAlive.start();

/** Moves the clock from timer to timer, each time letting the checks it started (HTTP) and a checkpoint it asked for end first. */
async function pass(spanMs: number, maxChecks = Infinity): Promise<void> {
  const end = clock.monotonic() + spanMs;
  const first = core.keepAlive.scheduler.stats().runs;
  while (clock.monotonic() < end && core.keepAlive.scheduler.stats().runs - first < maxChecks) {
    const next = clock.nextTimerAt();
    if (next === null) break;
    const asked = core.sqlite.checkpointsAsked();
    clock.advance(Math.min(next, end) - clock.monotonic());
    await core.keepAlive.whenIdle();
    // The commit window is 100 ms of real time in the app; here its clock stands still while the
    // worker checkpoints, and the worker's one-page write would wait for it: commit first.
    if (core.sqlite.checkpointsAsked() !== asked) core.stateStore.commit();
    await core.sqlite.checkpointSettled();
  }
  // The last checks' routine writes reach their commit.
  clock.advance(200);
  await core.sqlite.checkpointSettled();
}

await pass(run.warmupMs);
// Start-up and warm-up written and copied back: the span starts from an empty log.
await core.sqlite.checkpointNow();
const marker = openSync(run.marker, 'w');
const before = { io: ioSample(), runs: core.keepAlive.scheduler.stats().runs, refreshes, at: clock.monotonic(), checkpoints: core.sqlite.checkpointsAsked() };
writeSync(marker, 'begin');
await pass(run.spanMs, run.maxChecks);
// Renewal counts the activity log holds in memory (written every 6 h, or at quit) are written as
// quitting writes them: more than the span's share, so the figure errs high, never low.
core.activity.flush();
// The span's log copied back too (at most one checkpoint more than its pace would have made).
await core.sqlite.checkpointNow();
writeSync(marker, 'end');
const after = ioSample();
const result: DiskResult = {
  pid: process.pid,
  checks: core.keepAlive.scheduler.stats().runs - before.runs,
  refreshes: refreshes - before.refreshes,
  simulatedMs: clock.monotonic() - before.at,
  checkpoints: core.sqlite.checkpointsAsked() - before.checkpoints,
  ...ioDelta(before.io, after),
};
core.keepAlive.stop();
core.stateStore.close();
clearInterval(alive);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
