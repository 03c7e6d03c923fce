/**
 * Catch-up after resume: N external connections, all fine before an 8-hour sleep, all overdue
 * (tokens expired) after it. The wall clock jumps while monotonic time stands still, as in a
 * suspend; then powerMonitor's resume reaches keepAlive.resumed(). Measured on the main thread
 * over a span from the resume: event-loop utilization and the longest stall. Baseline: the same
 * HTTP calls (token refresh + PUT) with bare fetch, at the times the app planned, at its concurrency.
 * The sandbox runs in a process of its own, so its work does not count as the app's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../main/adapters/system-clock.js';
import type { Clock } from '../../main/core/ports.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY } from '../sandbox/server.js';
import { composeForBench } from './core-under-test.js';
import { mainThreadWhile, type MainThreadLoad } from './main-thread.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';
import { summarize, type Figure } from './stats.js';

const SLEPT_MS = 8 * 3600 * 1000;

type World = SandboxProcess;

/** One app run; also returns when it planned each overdue run (ms after the resume), for the baseline. */
async function appRun(world: World, spanMs: number): Promise<MainThreadLoad & { done: number; planned: number[]; concurrency: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-catchup-'));
  try {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(world.settings));
    const store = createMemorySecretStore();
    for (const { account, secret } of world.entries) await store.set(account, secret);
    let slept = 0;
    const clock: Clock = { now: () => Date.now() + slept, monotonic: () => performance.now(), setTimer: systemClock.setTimer };
    const core = await composeForBench(dir, store, { clock });
    await core.secretsLoaded;
    core.keepAlive.start();
    let done = 0;
    core.keepAlive.subscribe((event) => {
      if (event.kind === 'renewed') done++;
    });
    const ids = core.settings.get().connections.map((c) => c.id);
    // Suspend: the wall clock moves on, monotonic time does not; then the resume.
    slept = SLEPT_MS;
    // Each overdue run's new time as the app places it: a resume places them a chunk per turn
    // (scheduler.ts, STAGGER_CHUNK), so not all are placed when resumed() returns.
    let resumedAt = 0;
    const placed = new Map<string, number>();
    const untouch = core.keepAlive.onTouched((id) => {
      const at = core.keepAlive.nextRunAt(id);
      if (resumedAt && !placed.has(id) && at !== null && at > resumedAt) placed.set(id, at);
    });
    const load = await mainThreadWhile(spanMs, () => {
      resumedAt = clock.now();
      core.keepAlive.resumed();
    });
    untouch();
    const planned = ids.map((id) => Math.max(0, (placed.get(id) ?? resumedAt) - resumedAt)).sort((a, b) => a - b);
    // Runs already taken off the plan but still queued (an app that fell behind) are dropped too.
    core.keepAlive.stop();
    for (const id of ids) core.keepAlive.forget(id);
    await core.keepAlive.whenIdle();
    core.stateStore.close();
    return { ...load, done, planned, concurrency: core.settings.get().refresh.concurrency };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bare work: each connection's token refresh and PUT, started no earlier than the app planned it. */
async function baselineRun(world: World, spanMs: number, planned: readonly number[], concurrency: number): Promise<MainThreadLoad & { done: number }> {
  const refreshTokens = world.entries.filter((e) => e.account.startsWith('connection:')).map((e) => (JSON.parse(e.secret) as { refreshToken: string }).refreshToken);
  const records = world.settings.connections;
  let done = 0;
  let stopped = false;
  let next = 0;
  const running: Array<Promise<void>> = [];
  const load = await mainThreadWhile(spanMs, () => {
    const start = performance.now();
    for (let lane = 0; lane < concurrency; lane++) {
      running.push(
        (async () => {
          while (!stopped && next < records.length) {
            const i = next++;
            const wait = planned[i]! - (performance.now() - start);
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            if (stopped) return;
            const token = await fetch(`${world.urls.salesforceLogin}/services/oauth2/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshTokens[i]!, client_id: SAMPLE_CLIENT.clientId, client_secret: SAMPLE_CLIENT.clientSecret }),
            });
            const body = (await token.json()) as { access_token: string };
            const record = records[i]!;
            const put = await fetch(`${world.urls.data2crmApi}/application/${record.applicationKey}`, {
              method: 'PUT',
              headers: { 'content-type': 'application/json', 'X-API2CRM-USER-KEY': SAMPLE_USER_KEY },
              body: JSON.stringify({ type: 'Salesforce', description: record.label, authorization: 'oAuth-external-refresh', credential: [{ name: 'instance_url', value: record.instanceUrl }, { name: 'access_token', value: body.access_token }] }),
            });
            await put.text();
            done++;
          }
        })(),
      );
    }
  });
  stopped = true;
  await Promise.all(running);
  return { ...load, done };
}

export async function benchCatchUp(count: number, runs: number, spanMs: number): Promise<Figure[]> {
  const world = await startSandboxProcess(count);
  const app: Array<Awaited<ReturnType<typeof appRun>>> = [];
  const base: Array<Awaited<ReturnType<typeof baselineRun>>> = [];
  try {
    // Interleaved, the first pair a warm-up.
    for (let i = 0; i <= runs; i++) {
      const a = await appRun(world, spanMs);
      const b = await baselineRun(world, spanMs, a.planned, a.concurrency);
      if (i === 0) continue;
      app.push(a);
      base.push(b);
    }
  } finally {
    await world.close();
  }
  const share = summarize(app.map((r) => r.share));
  const stall = summarize(app.map((r) => r.longestStallMs));
  const done = summarize(app.map((r) => r.done));
  const lastPlanned = app[0]!.planned.at(-1)! / 1000;
  const span = `${spanMs / 1000} s`;
  return [
    {
      name: `Catch-up after resume: ${count} overdue, main-thread share over the first ${span}`,
      unit: '%',
      app: share,
      baseline: summarize(base.map((r) => r.share)),
      target: '≤ 20 %',
      met: share.median <= 20,
      note: `the app planned the ${count} runs over ${lastPlanned.toFixed(0)} s; ${done.median} renewed in the span (baseline: ${summarize(base.map((r) => r.done)).median})`,
    },
    {
      name: `Catch-up after resume: longest main-thread stall over the first ${span}`,
      unit: 'ms',
      app: stall,
      baseline: summarize(base.map((r) => r.longestStallMs)),
      target: 'no stall > 50 ms (median of the runs’ longest)',
      met: stall.median <= 50,
    },
  ];
}
