import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { composeForBench } from './core-under-test.js';
import { seedConnections } from './seed.js';
const n = 1000;
for (let round = 0; round < 3; round++) {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'd2c-prof-'));
  const store = createMemorySecretStore();
  const seeded = await seedConnections(sandbox, n, { store, settingsPath: join(dir, 'settings.json'), issuedAt: Date.now() - 3 * 3600 * 1000 });
  const calls: Record<string, number> = {};
  const count = (k: string) => (calls[k] = (calls[k] ?? 0) + 1);
  const core = await composeForBench(dir, store, undefined, (state) => ({ ...state, saveConnections: (p, r) => (count('save'), state.saveConnections(p, r)), appendActivity: (e) => (count('append'), state.appendActivity(e)), replaceActivity: (id, e) => (count('replace'), state.replaceActivity(id, e)) }), () => count('delta'));
  await core.secretsLoaded;
  core.settings.update((s) => ({ ...s, refresh: { ...s.refresh, concurrency: 8, jitterMs: 0 } }));
  const start = performance.now();
  for (const record of seeded.records) core.keepAlive.scheduler.schedule(record.id, Date.now());
  await new Promise((r) => setTimeout(r, 0));
  await core.keepAlive.whenIdle();
  console.log('round', round, (performance.now() - start).toFixed(0), 'ms', JSON.stringify(calls));
  core.keepAlive.stop();
  await sandbox.close();
}
process.exit(0);
