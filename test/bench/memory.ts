/**
 * Memory: heap per connection with N connections loaded into the core, against the bare data
 * (the parsed settings file and the decoded secrets) held in plain objects.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSecrets } from '../../main/core/secrets/connection-secrets.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { composeForBench } from './core-under-test.js';
import { seedConnections } from './seed.js';
import { repeat, type Figure } from './stats.js';

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export async function benchMemory(n: number, runs: number): Promise<Figure> {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-'));
  const keep: unknown[] = [];
  try {
    const store = createMemorySecretStore();
    await seedConnections(sandbox, n, { store, settingsPath: join(dir, 'settings.json') });
    const entries = await store.findAll();
    const app = await repeat(runs, 1, async () => {
      const before = heap();
      const core = await composeForBench(dir, store);
      core.keepAlive.start();
      await core.secretsLoaded;
      const after = heap();
      core.keepAlive.stop();
      keep.push(core);
      keep.length = 0;
      return (after - before) / n;
    });
    const baseline = await repeat(runs, 1, async () => {
      const before = heap();
      const data = { settings: JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as unknown, secrets: entries.map((e) => (e.secret === null ? null : decodeSecrets(e.secret))) };
      keep.push(data);
      const after = heap();
      keep.length = 0;
      return (after - before) / n;
    });
    return { name: `Memory: heap per connection, ${n} loaded`, unit: 'bytes', app, baseline, target: '≤ 3 KB each', met: app.median <= 3 * 1024 };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
