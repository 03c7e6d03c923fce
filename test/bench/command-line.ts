/**
 * `data2crm-tray status --json` end to end at N connections: a new process started, the built
 * bundle loaded, the socket's checks, the request, the app's answer (its snapshot, redacted and
 * parsed with the contract on both sides), the JSON printed, the process ended. Against a bare
 * Node process started and ended (the floor no command line can beat).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalApiServer } from '../../main/adapters/local-api-server.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { createLocalApi } from '../../main/local-api/index.js';
import { startSandbox } from '../sandbox/server.js';
import { createMemoryLogger } from '../support/memory-logger.js';
import { composeForBench } from './core-under-test.js';
import { seedConnections } from './seed.js';
import { interleaved, type Figure } from './stats.js';

const BUNDLE = resolve('out/cli/data2crm-tray.cjs');
export const STATUS_TARGET_MS = 150;

/** Wall time from spawn to exit; the output is checked so a fast failure cannot pass. */
function timed(args: string[], check: (stdout: string, code: number | null) => void): Promise<number> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', fail);
    child.once('close', (code) => {
      const elapsed = performance.now() - start;
      try {
        check(stdout, code);
        done(elapsed);
      } catch (error) {
        fail(error);
      }
    });
  });
}

export async function benchCommandLine(n: number, runs: number): Promise<Figure> {
  if (!existsSync(BUNDLE)) throw new Error('out/cli is missing: run `npm run build` first.');
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-cli-'));
  const store = createMemorySecretStore();
  try {
    await seedConnections(sandbox, n, { store, settingsPath: join(dir, 'settings.json') });
    const core = await composeForBench(dir, store);
    await core.secretsLoaded;
    const socketPath = join(dir, 'run', 'local-api.sock');
    const server = await startLocalApiServer({ socketPath, ...createLocalApi({ appInfo: { name: 'Data2CRM Tray', version: '0.0.0' }, app: core.app, logger: createMemoryLogger(), face: 'app' }), logger: createMemoryLogger() });
    if (!server) throw new Error('the local API did not start');
    try {
      const { app, baseline } = await interleaved(
        runs,
        2,
        () =>
          timed([BUNDLE, '--socket', socketPath, 'status', '--json'], (stdout, code) => {
            const count = (JSON.parse(stdout) as { connections: unknown[] }).connections.length;
            if (code !== 0 || count !== n) throw new Error(`status --json exited ${code} with ${count} of ${n} connections`);
          }),
        () =>
          timed(['-e', '0'], (_stdout, code) => {
            if (code !== 0) throw new Error(`bare node exited ${code}`);
          }),
      );
      return {
        name: `Command line: status --json at ${n.toLocaleString('en')} connections, end to end (process start included)`,
        unit: 'ms',
        app,
        baseline,
        target: `≤ ${STATUS_TARGET_MS} ms`,
        met: app.median <= STATUS_TARGET_MS,
        note: 'baseline: a bare Node process started and ended',
      };
    } finally {
      await server.close();
    }
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
