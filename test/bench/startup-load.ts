/**
 * Startup load: N stored connections, from creating the core to every connection known and
 * scheduled, against reading the settings file plus one findCredentials call. Secrets load in
 * the background, so the note also says when the schedule (and tray) was up.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { countingSecretStore } from '../support/counting-store.js';
import { composeForBench } from './core-under-test.js';
import { seedConnections } from './seed.js';
import { repeat, type Figure } from './stats.js';

export async function benchStartupLoad(n: number, runs: number): Promise<{ figure: Figure; keychainCalls: number }> {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-'));
  const service = `data2crm-tray-bench-${randomUUID()}`;
  let keychainCalls = 0;
  const upMs: number[] = [];
  try {
    const seeded = await seedConnections(sandbox, n, { store: createKeytarSecretStore(service), settingsPath: join(dir, 'settings.json') });
    const app = await repeat(runs, 1, async () => {
      const { wrapped, total } = countingSecretStore(createKeytarSecretStore(service));
      const start = performance.now();
      const core = await composeForBench(dir, wrapped);
      core.keepAlive.start();
      upMs.push(performance.now() - start);
      await core.secretsLoaded;
      const elapsed = performance.now() - start;
      const scheduled = seeded.records.filter((r) => core.keepAlive.scheduler.dueAt(r.id) !== null).length;
      core.keepAlive.stop();
      if (scheduled !== n || core.vault.connectionIds().length !== n) throw new Error(`startup knew ${core.vault.connectionIds().length} and scheduled ${scheduled} of ${n}`);
      keychainCalls = total();
      return elapsed;
    });
    const baseline = await repeat(runs, 1, async () => {
      const start = performance.now();
      JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
      await keytar.findCredentials(service);
      return performance.now() - start;
    });
    return {
      figure: { name: `Startup load: ${n} stored connections`, unit: 'ms', app, baseline, target: 'ratio ≤ 1.25; constant keychain calls', met: app.median / baseline.median <= 1.25, note: `${keychainCalls} keychain calls (startup probe set/get/delete + one findAll), whatever the count; schedule up after ${upMs.sort((a, b) => a - b)[upMs.length >> 1]!.toFixed(0)} ms (median), before the listing ends` },
      keychainCalls,
    };
  } finally {
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
