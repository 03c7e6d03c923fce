/**
 * How people start `data2crm-tray`: npm's bin in a checkout, and in the packaged app the launcher
 * next to the bundle in <resources>/cli, which runs the app's own binary as Node
 * (ELECTRON_RUN_AS_NODE=1). The Linux/macOS launcher runs here in the layout electron-builder
 * makes on Linux, with a stand-in binary that insists on ELECTRON_RUN_AS_NODE; the Windows one is
 * checked as text (no Windows here).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BUNDLE = resolve('out/cli/data2crm-tray.cjs');
const NOT_RUNNING = 'data2crm-tray: Data2CRM Tray is not running. Start it (from your applications menu, or `npm start` in its folder), then try again.\n';
let root: string;

beforeAll(() => {
  // The bundle as `npm install` / `npm run build` make it.
  expect(spawnSync(process.execPath, ['scripts/build-cli.mjs']).status).toBe(0);
  root = mkdtempSync(join(tmpdir(), 'd2c-launchers-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (file: string, args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(file, args, { encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: root, XDG_RUNTIME_DIR: join(root, 'runtime'), ...env } });

describe('the packaged launcher (Linux layout)', () => {
  it('runs the bundle with the app binary as Node, also through a symlink in PATH', () => {
    const install = join(root, 'opt', 'Data2CRM Tray');
    mkdirSync(join(install, 'resources', 'cli'), { recursive: true });
    // The stand-in for Electron: refuses to run unless asked to run as Node, then is Node.
    writeFileSync(join(install, 'data2crm-tray'), `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "not run as node" >&2; exit 99; }\nexec "${process.execPath}" "$@"\n`);
    chmodSync(join(install, 'data2crm-tray'), 0o755);
    copyFileSync('resources/cli/data2crm-tray', join(install, 'resources', 'cli', 'data2crm-tray'));
    chmodSync(join(install, 'resources', 'cli', 'data2crm-tray'), 0o755);
    copyFileSync(BUNDLE, join(install, 'resources', 'cli', 'data2crm-tray.cjs'));
    mkdirSync(join(root, 'bin'));
    symlinkSync(join(install, 'resources', 'cli', 'data2crm-tray'), join(root, 'bin', 'data2crm-tray'));

    for (const launcher of [join(install, 'resources', 'cli', 'data2crm-tray'), join(root, 'bin', 'data2crm-tray')]) {
      const help = run(launcher, ['--help']);
      expect(help.stderr).toBe('');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^data2crm-tray: the command line of the running Data2CRM Tray app/);
      const status = run(launcher, ['status']);
      expect({ status: status.status, stderr: status.stderr }).toEqual({ status: 2, stderr: NOT_RUNNING });
    }
    expect(statSync('resources/cli/data2crm-tray').mode & 0o111).not.toBe(0);
  });

  it('points where electron-builder puts the binary and the bundle', () => {
    const config = parse(readFileSync('electron-builder.yml', 'utf8')) as { productName: string; linux: { executableName: string }; extraResources: Array<{ from: string; to: string }>; files: string[] };
    const unix = readFileSync('resources/cli/data2crm-tray', 'utf8');
    expect(unix).toContain(`app="$dir/../../${config.linux.executableName}"`);
    expect(unix).toContain(`app="$dir/../../MacOS/${config.productName}"`);
    expect(unix).toContain('ELECTRON_RUN_AS_NODE=1 exec "$app" "$dir/data2crm-tray.cjs" "$@"');
    expect(config.extraResources).toEqual(expect.arrayContaining([{ from: 'out/cli/data2crm-tray.cjs', to: 'cli/data2crm-tray.cjs' }, { from: 'resources/cli/', to: 'cli/' }]));
    expect(config.files).toEqual(expect.arrayContaining(['!out/cli/**', '!resources/cli/**']));
    const windows = readFileSync('resources/cli/data2crm-tray.cmd', 'utf8');
    expect(windows.split('\r\n').filter(Boolean)).toEqual(expect.arrayContaining(['set ELECTRON_RUN_AS_NODE=1', `"%~dp0..\\..\\${config.productName}.exe" "%~dp0data2crm-tray.cjs" %*`]));
    expect(windows.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('npm’s bin in a checkout', () => {
  it('is package.json’s bin and runs the built bundle', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.bin).toEqual({ 'data2crm-tray': 'bin/data2crm-tray.cjs' });
    expect(pkg.scripts['prepare']).toBe('node scripts/build-cli.mjs');
    expect(statSync(pkg.bin['data2crm-tray']!).mode & 0o111).not.toBe(0);
    const status = run(resolve(pkg.bin['data2crm-tray']!), ['status', '--json']);
    expect({ status: status.status, stdout: status.stdout, stderr: status.stderr }).toEqual({ status: 2, stdout: '', stderr: NOT_RUNNING });
  });
});
