/**
 * Memory in a fresh process (the redactor's index of known secrets is module state: a process
 * that ran other work holds or has indexed secrets already). `app`: the whole core with N
 * connections loaded, each refreshed once by keep-alive against the sandbox (another process);
 * `baseline`: the bare data, the parsed settings and the decoded secrets, in plain objects.
 * Prints one JSON line: heap bytes per connection (after two full collections).
 * `node --expose-gc --import tsx test/bench/memory-child.ts '<json>'`
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSecrets } from '../../main/core/secrets/connection-secrets.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import type { Settings } from '../../main/core/settings/schema.js';
import { composeForBench } from './core-under-test.js';

export interface MemoryRun {
  readonly kind: 'app' | 'baseline';
  readonly settingsPath: string;
  readonly entriesPath: string;
}

/** Heap in use after full collections, finalizers run between them (fetch unhooks its abort listeners in one). */
async function heap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  gc();
  return process.memoryUsage().heapUsed;
}

const run = JSON.parse(process.argv[2]!) as MemoryRun;
const entriesText = readFileSync(run.entriesPath, 'utf8');
const settingsText = readFileSync(run.settingsPath, 'utf8');
const n = (JSON.parse(settingsText) as Settings).connections.length;
const keep: unknown[] = [];
let perConnection: number;
let refreshed = 0;
if (run.kind === 'baseline') {
  const before = await heap();
  keep.push({ settings: JSON.parse(settingsText) as unknown, secrets: (JSON.parse(entriesText) as Array<{ secret: string | null }>).map((e) => (e.secret === null ? null : decodeSecrets(e.secret))) });
  perConnection = ((await heap()) - before) / n;
} else {
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-memory-'));
  try {
    writeFileSync(join(dir, 'settings.json'), settingsText);
    const entries = JSON.parse(entriesText) as Array<{ account: string; secret: string }>;
    // The keychain's copy is the OS's, not the app's: it is made before the heap is first read.
    const store = createMemorySecretStore();
    for (const { account, secret } of entries) await store.set(account, secret);
    entries.length = 0;
    const before = await heap();
    const core = await composeForBench(dir, store);
    await core.secretsLoaded;
    core.keepAlive.subscribe((event) => {
      if (event.kind === 'renewed') refreshed++;
    });
    // Every token expired: each connection refreshes once (token call and push), all due at once.
    core.settings.update((s) => ({ ...s, refresh: { ...s.refresh, concurrency: 8 } }));
    for (const { id } of core.settings.get().connections) core.keepAlive.scheduler.schedule(id, Date.now(), Date.now()); // due now: no jitter
    await new Promise((resolve) => setTimeout(resolve, 0));
    await core.keepAlive.whenIdle();
    if (refreshed !== n) throw new Error(`refreshed ${refreshed} of ${n}`);
    core.stateStore.commit();
    // The deltas of the last checks sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    keep.push(core);
    perConnection = ((await heap()) - before) / n;
    core.keepAlive.stop();
    core.stateStore.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write(`${JSON.stringify({ perConnection, refreshed })}\n`);
process.exit(0);
