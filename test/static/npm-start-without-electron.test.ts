/**
 * `npm start` and `npm run dev` where the Electron binary cannot be downloaded: the mirror is a
 * closed loopback port and the download cache is empty, so Electron's own installer fails for
 * real. The user must get one plain paragraph saying what failed and how to fix it, exit code 1,
 * and no stack trace, before anything is built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** A loopback port nothing listens on: bound once by us, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const cache = mkdtempSync(join(tmpdir(), 'd2c-electron-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

async function runScript(script: 'start' | 'dev', extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`, electron_config_cache: cache, ...extraEnv };
  delete env['ELECTRON_EXEC_PATH'];
  if (!('ELECTRON_OVERRIDE_DIST_PATH' in extraEnv)) delete env['ELECTRON_OVERRIDE_DIST_PATH'];
  // Where a binary is installed (a developer's machine), ask for another platform's, which is not.
  const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  if (existsSync(join(electronDir, 'path.txt'))) env['ELECTRON_INSTALL_PLATFORM'] = process.platform === 'win32' ? 'linux' : 'win32';
  const run = spawnSync('npm', ['run', script], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('npm start without a downloadable Electron', () => {
  it.each(['start', 'dev'] as const)('npm run %s ends with one plain paragraph, exit code 1, no stack trace', async (script) => {
    const { status, output } = await runScript(script);
    expect(status).toBe(1);
    const paragraph = output.split('\n').find((line) => line.startsWith('Cannot start the app:')) ?? '';
    expect(paragraph).toMatch(/Electron 43\.\d+\.\d+ binary is not on this machine and downloading it failed \(.+\)/);
    expect(paragraph).toContain('once with internet access');
    expect(paragraph).toContain('ELECTRON_MIRROR');
    expect(paragraph).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(paragraph).toContain('`npm test` needs no Electron binary');
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('Electron uninstall');
    // It fails before the build: electron-vite never ran.
    expect(output).not.toMatch(/building/i);
  });

  it('names a wrong ELECTRON_OVERRIDE_DIST_PATH instead of downloading', async () => {
    const missing = join(cache, 'no-electron-here');
    const { status, output } = await runScript('start', { ELECTRON_OVERRIDE_DIST_PATH: missing });
    expect(status).toBe(1);
    expect(output).toContain(`Cannot start the app: ELECTRON_OVERRIDE_DIST_PATH is set, but ${join(missing, process.platform === 'win32' ? 'electron.exe' : 'electron')} does not exist.`);
    expect(output).not.toContain('fetching it once');
    expect(output).not.toMatch(/^\s+at /m);
  });
});
