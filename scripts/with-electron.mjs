// `npm start` / `npm run dev`: make sure the Electron binary is on disk, then run the command.
//   node scripts/with-electron.mjs <command> [args…]
// Since Electron 42 the `electron` package downloads its binary on first use, not on install, and
// electron-vite throws "Electron uninstall" without it. So this runs the package's own
// `install-electron` first (a no-op when the binary is there). When that download is impossible
// it ends with one plain paragraph and exit code 1, never a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-electron.mjs <command> [args…]');
  process.exit(2);
}

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const electronPackage = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
const version = electronPackage.version;
const executableName = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron';

function giveUp(reason) {
  console.error(
    `\nCannot start the app: ${reason} ` +
      `The electron package fetches its ${version} binary from GitHub on first use, not from the npm registry. ` +
      'To fix it, run this command once with internet access; or set ELECTRON_MIRROR to a mirror you can reach ' +
      '(for example https://npmmirror.com/mirrors/electron/); or set ELECTRON_OVERRIDE_DIST_PATH to a folder that holds ' +
      `an Electron ${version.split('.')[0]} binary already on disk. \`npm test\` needs no Electron binary and works without it.\n`,
  );
  process.exit(1);
}

/** The first line of the installer's error output that is not a stack frame, e.g. "TypeError: fetch failed". */
function firstErrorLine(text) {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at '));
  return line ? line.slice(0, 200) : 'no reason given';
}

/** Where the binary is, downloading it once if needed; on failure it exits with the paragraph. */
function ensureElectron() {
  const given = process.env.ELECTRON_EXEC_PATH;
  if (given) {
    if (!existsSync(given)) giveUp(`ELECTRON_EXEC_PATH is set, but ${given} does not exist.`);
    return given;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    // Electron's own resolution (its index.js): <override>/<platform executable>; no download.
    const executable = join(override, executableName);
    if (!existsSync(executable)) giveUp(`ELECTRON_OVERRIDE_DIST_PATH is set, but ${executable} does not exist.`);
    return executable;
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) console.log(`Electron ${version} is not downloaded yet; fetching it once (about 100 MB)…`);
  const installer = join(electronDir, electronPackage.bin['install-electron']);
  // stderr is captured: the installer prints a stack trace on failure, the user gets a paragraph.
  const install = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (install.status !== 0 || !existsSync(pathFile)) giveUp(`the Electron ${version} binary is not on this machine and downloading it failed (${firstErrorLine(install.stderr ?? '')}).`);
  return join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
}

// electron-vite reads ELECTRON_EXEC_PATH before path.txt.
const executable = ensureElectron();
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ELECTRON_EXEC_PATH: executable } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(`Cannot run ${command}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
