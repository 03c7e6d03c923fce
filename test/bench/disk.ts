/**
 * Disk: what checks cost at the kernel, per thread. Each run is a fresh process (disk-child.ts)
 * with the whole core and its real state database, keep-alive checking every connection against
 * the sandbox (a process of its own) at the pace the settings give, hours passing on a moved
 * clock. Counted around the span: bytes of every write system call on the database files and
 * every fsync/fdatasync (strace, per thread), and pages dirtied (the kernel's write_bytes, per
 * thread). Start-up is settled first; the span ends with one checkpoint (its log copied back).
 * - per check at 10 and 10,000 connections, each verified every 15 minutes (the flatness ratio);
 * - per hour at 1,000 connections refreshed for 15-minute and 2-hour Salesforce sessions, after a
 *   warm-up of one session and a quarter hour (every connection renewed once: a steady state).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../main/core/settings/schema.js';
import type { DiskResult, DiskRun } from './disk-child.js';
import { countSyscalls, ioAccounting, strace, tracedArgs, type SyscallCounts } from './kernel-io.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';
import { summarize, type Figure } from './stats.js';

/** Syncs per check: a rare one (one in thousands) must not print as 0.000. */
const syncWords = (v: number) => (v > 0 && v < 0.001 ? v.toPrecision(2) : v.toFixed(3));

const MIN = 60_000;
const HOUR = 60 * MIN;
const PAGE = 4096;

interface Workload {
  /** Every connection verified this often. */
  readonly verifyMs: number;
  /** The Salesforce session: a refresh this long minus the skew after the last (24 h: none in the span). */
  readonly lifetimeMs: number;
}

interface Measured extends DiskResult {
  readonly syscalls: SyscallCounts | null;
}

/** The sandbox's connections with their times spread over one period, as an app running for a while has them. */
function steadySettings(seeded: SandboxProcess, workload: Workload, now: number): Settings {
  const refresh = { ...seeded.settings.refresh, verifyIntervalMs: workload.verifyMs };
  const refreshEvery = Math.max(workload.lifetimeMs - refresh.skewMs, Math.min(workload.lifetimeMs / 2, 10 * MIN));
  const n = seeded.settings.connections.length;
  const connections = seeded.settings.connections.map((c, i) => {
    const received = now - Math.floor(((i * 7919) % n) / n * Math.min(refreshEvery, workload.lifetimeMs - MIN));
    return { ...c, learnedLifetimeMs: workload.lifetimeMs, tokenIssuedAt: received, tokenReceivedAt: received, lastRefreshedAt: received, lastVerifiedAt: now - Math.floor((i / n) * workload.verifyMs) };
  });
  return { ...seeded.settings, refresh, connections };
}

async function runChild(run: DiskRun, trace: string | null): Promise<{ result: DiskResult; pid: number }> {
  const node = [process.execPath, '--import', 'tsx', 'test/bench/disk-child.ts', JSON.stringify(run)];
  const child = trace ? spawn('strace', tracedArgs(trace, node), { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(node[0]!, node.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the disk run ended with ${code}`);
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as DiskResult;
  return { result, pid: result.pid };
}

async function measure(seeded: SandboxProcess, workload: Workload, span: { warmupMs: number; spanMs: number; maxChecks?: number }, tracer: ReturnType<typeof strace>): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-disk-'));
  try {
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'settings.json'), JSON.stringify(steadySettings(seeded, workload, Date.now())));
    writeFileSync(join(data, 'entries.json'), JSON.stringify(seeded.entries));
    const marker = join(dir, 'marker');
    const trace = tracer.ok ? join(dir, 'strace.log') : null;
    const { result, pid } = await runChild({ dir: data, marker, ...span }, trace);
    const syscalls = trace ? countSyscalls(readFileSync(trace, 'utf8'), { mainTid: pid, under: join(data, 'state.db'), marker, begin: 'begin', end: 'end' }) : null;
    return { ...result, syscalls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withSandbox<T>(n: number, work: (seeded: SandboxProcess) => Promise<T>): Promise<T> {
  const seeded = await startSandboxProcess(n);
  try {
    return await work(seeded);
  } finally {
    await seeded.close();
  }
}

const one = (value: number) => summarize([value]);
const per = (m: Measured, value: number) => value / Math.max(1, m.checks);
const perHour = (m: Measured, value: number) => (value / m.simulatedMs) * HOUR;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function describe(m: Measured): string {
  const s = m.syscalls;
  const calls = s ? `${kb(per(m, s.bytes))} written (main thread ${kb(per(m, s.mainBytes))}), ${syncWords(per(m, s.syncs))} syncs (main thread ${syncWords(per(m, s.mainSyncs))})` : 'writes and syncs not counted (no strace)';
  return `${m.checks} checks (${m.refreshes} refreshes) over ${(m.simulatedMs / HOUR).toFixed(1)} h simulated, ${m.checkpoints} checkpoints: per check ${calls}, ${kb(per(m, m.dirtied))} of pages dirtied (main thread ${kb(per(m, m.mainDirtied))})`;
}

export async function benchDisk(sizes: { small: number; large: number; checks: number; hourly: number; warmupMs: number; hourMs: number }): Promise<Figure[]> {
  const tracer = strace();
  if (!ioAccounting()) throw new Error('the kernel’s per-thread I/O counters (/proc/self/task/<tid>/io) cannot be read here');
  const verify: Workload = { verifyMs: 15 * MIN, lifetimeMs: 24 * HOUR };
  // The same number of checks at both sizes: at 10 that is many simulated hours, at 10,000 minutes.
  const small = await withSandbox(sizes.small, (s) => measure(s, verify, { warmupMs: sizes.warmupMs, spanMs: 1_000 * HOUR, maxChecks: sizes.checks }, tracer));
  const large = await withSandbox(sizes.large, (s) => measure(s, verify, { warmupMs: sizes.warmupMs, spanMs: 1_000 * HOUR, maxChecks: sizes.checks }, tracer));
  // A steady state: the warm-up lasts a session and a quarter hour more (at most 3 spans), so every
  // connection has renewed once and its activity row is the one later renewals coalesce into.
  const steady = (lifetimeMs: number) => Math.max(sizes.warmupMs, Math.min(lifetimeMs + 15 * MIN, 3 * sizes.hourMs));
  const hourlyRun = (s: SandboxProcess, lifetimeMs: number) => measure(s, { verifyMs: HOUR, lifetimeMs }, { warmupMs: steady(lifetimeMs), spanMs: sizes.hourMs }, tracer);
  const [short, long] = await withSandbox(sizes.hourly, async (s) => [await hourlyRun(s, 15 * MIN), await hourlyRun(s, 2 * HOUR)]);
  const why = tracer.ok ? '' : `; ${tracer.reason}`;
  const syscallFigure = (name: string, unit: string, pick: (s: SyscallCounts) => number, target: string, met: (large: number, small: number) => boolean, scale = 1): Figure => {
    if (!small.syscalls || !large.syscalls) return { name, unit, app: one(0), baseline: null, target, met: null, note: `not measured${why}` };
    const [a, b] = [per(large, pick(large.syscalls)) / scale, per(small, pick(small.syscalls)) / scale];
    return { name, unit, app: one(a), baseline: one(b), target, met: met(a, b), note: `${sizes.large}: ${describe(large)}; ${sizes.small}: ${describe(small)}` };
  };
  const hourly = (label: string, m: Measured, warmupMs: number): Figure => ({
    name: `Disk per hour, ${sizes.hourly} connections, ${label}`,
    unit: 'MB',
    app: one(m.syscalls ? perHour(m, m.syscalls.bytes) / 2 ** 20 : 0),
    baseline: null,
    target: 'reported (bytes written per hour; syncs and dirtied pages in the note)',
    met: null,
    note: `${m.syscalls ? `${mb(perHour(m, m.syscalls.bytes))}/h written, ${Math.round(perHour(m, m.syscalls.syncs))} syncs/h (main thread ${Math.round(perHour(m, m.syscalls.mainSyncs))})` : `writes and syncs not counted${why}`}, ${mb(perHour(m, m.dirtied))}/h of pages dirtied, ${Math.round(perHour(m, m.checks))} checks/h; after a ${(warmupMs / HOUR).toFixed(2)} h warm-up; ${describe(m)}`,
  });
  return [
    syscallFigure(`Disk: pages written per check (kernel), ${sizes.large} vs ${sizes.small} connections verified every 15 min`, 'pages', (s) => s.bytes, '≤ 2 pages (8 KB) per check, flat in N', (a) => a <= 2, PAGE),
    syscallFigure(`Disk: syncs per check (kernel), ${sizes.large} vs ${sizes.small} connections`, 'syncs', (s) => s.syncs, '≤ 0.2 per check', (a, b) => a <= 0.2 && b <= 0.2),
    syscallFigure(`Disk: syncs per check on the main thread, ${sizes.large} vs ${sizes.small} connections`, 'syncs', (s) => s.mainSyncs, 'none', (a, b) => a === 0 && b === 0),
    {
      name: `Disk: pages dirtied per check (kernel write_bytes), ${sizes.large} vs ${sizes.small} connections`,
      unit: 'pages',
      app: one(per(large, large.dirtied) / PAGE),
      baseline: one(per(small, small.dirtied) / PAGE),
      target: 'reported (flat in N)',
      met: null,
      note: `main thread: ${(per(large, large.mainDirtied) / PAGE).toFixed(2)} vs ${(per(small, small.mainDirtied) / PAGE).toFixed(2)} pages`,
    },
    hourly('15-min sessions', short, steady(15 * MIN)),
    hourly('2-h sessions', long, steady(2 * HOUR)),
  ];
}
