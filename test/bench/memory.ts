/**
 * Memory: heap per connection in a fresh process (test/bench/memory-child.ts) with N connections
 * loaded and each refreshed once against the sandbox (a process of its own), against the bare
 * data (the parsed settings file and the decoded secrets) in plain objects, also in a fresh
 * process. A fresh process each run: the redactor's index of known secrets is module state, so a
 * process that loaded the same secrets before would look smaller.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryRun } from './memory-child.js';
import { startSandboxProcess } from './sandbox-process.js';
import { summarize, type Figure } from './stats.js';

function inFreshProcess(run: MemoryRun): { perConnection: number; refreshed: number } {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/bench/memory-child.ts', JSON.stringify(run)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`the memory run ended with ${child.status}: ${child.stderr.slice(-1000)}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { perConnection: number; refreshed: number };
}

async function measure(n: number, runs: number): Promise<{ app: number[]; baseline: number[] }> {
  // Tokens three hours old: each connection refreshes once.
  const sandbox = await startSandboxProcess(n, { issuedAt: Date.now() - 3 * 3600 * 1000 });
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-memory-'));
  try {
    const settingsPath = join(dir, 'settings.json');
    const entriesPath = join(dir, 'entries.json');
    writeFileSync(settingsPath, JSON.stringify(sandbox.settings));
    writeFileSync(entriesPath, JSON.stringify(sandbox.entries));
    const app: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      app.push(inFreshProcess({ kind: 'app', settingsPath, entriesPath }).perConnection);
      baseline.push(inFreshProcess({ kind: 'baseline', settingsPath, entriesPath }).perConnection);
    }
    return { app, baseline };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchMemory(n: number, runs: number): Promise<Figure> {
  const full = await measure(n, runs);
  // Half as many: what one more connection costs, apart from what the app holds whatever their number.
  const half = await measure(Math.round(n / 2), 1);
  const app = summarize(full.app);
  const total = app.median * n;
  const halfTotal = summarize(half.app).median * (n / 2);
  const marginal = (total - halfTotal) / (n / 2);
  return {
    name: `Memory: heap per connection, ${n} loaded, each refreshed once (a fresh process per run)`,
    unit: 'bytes',
    app,
    baseline: summarize(full.baseline),
    target: '≤ 3 KB each',
    met: app.median <= 3 * 1024,
    note: `heap in use after full collections (finalizers run between them), from before the core is built to after every connection refreshed once (token call and push) and its delta was sent, divided by ${n}; each connection more costs ${Math.round(marginal)} B (from ${n / 2} to ${n}), and ${(Math.max(0, total - marginal * n) / 2 ** 20).toFixed(1)} MB is held whatever the number (code compiled, clients, caches); baseline: the parsed settings file and the decoded secrets alone`,
  };
}
