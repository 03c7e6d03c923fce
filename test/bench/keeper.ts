/**
 * The keeper as an operator runs it (the bundle, a child process, an encrypted secrets folder)
 * with N healthy connections and nothing due. Idle: its CPU time over windows of real time, every
 * thread counted (/proc/<pid>/task/<tid>/schedstat), and its wake-ups (context switches), against
 * a bare Node process that only waits, measured in the same windows. Memory: resident memory per
 * connection, (RSS with N − RSS with none) / N, each read once start-up has settled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEncryptedFileSecretStore, sealedEntry } from '../../main/adapters/encrypted-file-secret-store.js';
import { keyFileText } from '../../main/core/keeper/secret-key.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { startKeeper, stopKeeper, type KeeperProcess } from '../support/keeper-process.js';
import { seedConnections } from './seed.js';
import { summarize, type Figure } from './stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A keeper's data folder with N connections, as a first start finds one (secrets sealed, no sync per file). */
export async function seedFolder(sandbox: Sandbox, n: number): Promise<{ dir: string; keyFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-keeper-'));
  const key = randomBytes(32);
  const keyFile = join(dir, 'keeper.key');
  writeFileSync(keyFile, keyFileText(key), { mode: 0o600 });
  const data = join(dir, 'data');
  const secrets = join(data, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  createEncryptedFileSecretStore(secrets, key).checkKey();
  const store = createMemorySecretStore();
  const seeded = await seedConnections(sandbox, n, { store });
  for (const { account, secret } of await store.findAll()) {
    const entry = sealedEntry(key, account, secret!);
    writeFileSync(join(secrets, entry.name), entry.text, { mode: 0o600 });
  }
  // Records as an earlier version kept them: the keeper moves them into state.db at its first start.
  writeFileSync(join(data, 'settings.json'), JSON.stringify(seeded.settings), { mode: 0o600 });
  return { dir, keyFile };
}

/** CPU nanoseconds and context switches of every thread of a process, now. */
function processCost(pid: number): { cpuNs: number; switches: number } {
  let cpuNs = 0;
  let switches = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      cpuNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) switches += Number(match[1]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return { cpuNs, switches };
}

const rssBytes = (pid: number) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

/**
 * Start-up is not idle: its writes, their deferred checkpoint, and V8's collections after loading
 * (its memory reducer keeps collecting for a few minutes after a large heap was built) settle
 * first. Settled: a quiet window (no CPU to speak of) after at least `minMs`; at most 6 minutes.
 */
async function startedKeeper(folder: { dir: string; keyFile: string }, minMs: number, quietWindowMs: number): Promise<{ keeper: KeeperProcess; settledAfterMs: number }> {
  const keeper = await startKeeper(['--data', join(folder.dir, 'data'), '--key-file', folder.keyFile]);
  await keeper.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts', 600_000);
  const started = Date.now();
  await sleep(minMs);
  for (;;) {
    const before = processCost(keeper.child.pid!);
    await sleep(quietWindowMs);
    const quiet = processCost(keeper.child.pid!).cpuNs - before.cpuNs < 1e6;
    if (quiet || Date.now() - started > 6 * 60_000) return { keeper, settledAfterMs: Date.now() - started };
  }
}

/** A bare Node process that only waits: what any Node service costs doing nothing. */
function bareNode(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => undefined, 2 ** 31 - 1)'], { stdio: 'ignore' });
}

export async function benchKeeper(n: number, windows: number, windowMs: number, settleMs: number, quietWindowMs: number): Promise<Figure[]> {
  const sandbox = await startSandbox();
  const folders = [await seedFolder(sandbox, n), await seedFolder(sandbox, 0)];
  const keepers: KeeperProcess[] = [];
  const bare = bareNode();
  try {
    const { keeper, settledAfterMs } = await startedKeeper(folders[0]!, settleMs, quietWindowMs);
    keepers.push(keeper);
    const { keeper: empty } = await startedKeeper(folders[1]!, settleMs, quietWindowMs);
    keepers.push(empty);
    const pid = keeper.child.pid!;
    const appCpu: number[] = [];
    const baseCpu: number[] = [];
    const appWakeups: number[] = [];
    const baseWakeups: number[] = [];
    for (let i = 0; i < windows; i++) {
      const a0 = processCost(pid);
      const b0 = processCost(bare.pid!);
      await sleep(windowMs);
      const a1 = processCost(pid);
      const b1 = processCost(bare.pid!);
      appCpu.push((a1.cpuNs - a0.cpuNs) / 1e6);
      baseCpu.push((b1.cpuNs - b0.cpuNs) / 1e6);
      appWakeups.push(a1.switches - a0.switches);
      baseWakeups.push(b1.switches - b0.switches);
    }
    const perConnection = (rssBytes(pid) - rssBytes(empty.child.pid!)) / Math.max(1, n);
    const app = summarize(appCpu);
    const baseline = summarize(baseCpu);
    const seconds = windowMs / 1000;
    return [
      {
        name: `Keeper idle: ${n} healthy connections, CPU per ${seconds} s window (every thread)`,
        unit: 'ms',
        app,
        baseline,
        target: `≈ 0: the keeper's share under 20 ms of CPU a minute`,
        met: ((app.median - baseline.median) * 60) / seconds < 20,
        note: `the keeper's share ≈ ${(((app.median - baseline.median) * 60) / seconds).toFixed(1)} ms a minute (the keeper minus a bare Node process that only waits); windows in order: ${appCpu.map((ms) => ms.toFixed(1)).join(', ')} ms; start-up settled after ${Math.round(settledAfterMs / 1000)} s`,
      },
      { name: `Keeper idle: wake-ups per ${seconds} s window (context switches, every thread)`, unit: 'count', app: summarize(appWakeups), baseline: summarize(baseWakeups), target: 'reported', met: null, note: `windows in order: ${appWakeups.join(', ')}` },
      { name: `Keeper memory: resident memory per connection, ${n} kept`, unit: 'KB', app: summarize([perConnection / 1024]), baseline: null, target: 'reported', met: null, note: `RSS ${(rssBytes(pid) / 2 ** 20).toFixed(0)} MB with ${n}, ${(rssBytes(empty.child.pid!) / 2 ** 20).toFixed(0)} MB with none` },
    ];
  } finally {
    for (const keeper of keepers) await stopKeeper(keeper);
    bare.kill();
    await sandbox.close();
    for (const folder of folders) rmSync(folder.dir, { recursive: true, force: true });
  }
}
