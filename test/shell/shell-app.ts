/**
 * The shell tier's fixture: the app's own composition root (main/index.ts, bundled with esbuild
 * as electron-vite does, every file of main/ inlined with a source map) run in this process with
 * `electron` resolved to the stand-in (test/support/electron-stand-in), against the sandbox and the
 * private keychain. Preload and renderer are the built ones in out/ (`npm run build` first).
 * Each test gets a fresh app run: a new copy of the bundle, a fresh stand-in, its own user-data
 * folder and sandbox; the keychain service is the app's own, so the tier runs with one worker.
 */
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import keytar from 'keytar';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createElectronStandIn, type ElectronStandIn } from '../support/electron-stand-in/index.js';
import type { StandInBrowserWindow } from '../support/electron-stand-in/browser-window.js';
import { runCli, type CliOptions, type CliRun } from '../support/command-line.js';
import type { FakeClock } from '../support/fake-clock.js';
import { storedConnections } from '../support/state-db.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';

const OUT_DIR = resolve('out');
// Under node_modules so that Playwright's loader runs the bundle as it is (it transforms other
// files, which would break the source map the coverage report needs).
const RUN_DIR = resolve('node_modules/.cache/d2c-shell-app');
const GLOBAL_KEY = '__electronStandIn';
/** Where a run with a fake clock finds it: the app's systemClock import reads it (the Clock port). */
const CLOCK_KEY = '__shellClock';
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; productName: string };

/** secret-store-candidates.ts's KEYCHAIN_SERVICE (importing that file here would load the real Electron). */
export const KEYCHAIN_SERVICE = packageJson.productName;

const bundles = new Map<string, Promise<string>>();
let runs = 0;

/**
 * With `keychain: 'unavailable'`, keytar answers as it does when no Secret Service runs (the
 * message is libsecret's); the rest of the app is unchanged. A fault at the port, not a fake app.
 */
const UNAVAILABLE_KEYTAR = `const fail = async () => { throw new Error('The name org.freedesktop.secrets was not provided by any .service files'); };
export default { getPassword: fail, setPassword: fail, deletePassword: fail, findCredentials: fail };`;

/** main/index.ts as one ESM file; `import … from 'electron'` reads the current stand-in. */
function bundleMain(exportNames: string[], keychain: 'os' | 'unavailable', fakeClock: boolean): Promise<string> {
  const key = `${keychain}${fakeClock ? '+fake-clock' : ''}`;
  const cached = bundles.get(key);
  if (cached) return cached;
  const bundled = build({
    entryPoints: ['main/index.ts'],
    outfile: join(RUN_DIR, 'main.js'),
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    // Where electron-vite puts main, so the preload and renderer paths resolve into out/.
    define: { 'import.meta.dirname': JSON.stringify(join(OUT_DIR, 'main')) },
    banner: { js: "import { createRequire as __standInRequire } from 'node:module'; const require = __standInRequire(import.meta.url);" },
    logLevel: 'silent',
    plugins: [
      {
        name: 'electron-stand-in',
        setup(plugin) {
          // Packages stay external (loaded from node_modules), except the two that import electron.
          plugin.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path === 'electron' || /^electron-(store|log)(\/|$)/.test(args.path) || args.path.startsWith('node:')) return undefined;
            if (args.path === 'keytar' && keychain === 'unavailable') return undefined;
            return { path: args.path, external: true };
          });
          plugin.onResolve({ filter: /^electron$/ }, () => ({ path: 'electron', namespace: 'electron-stand-in' }));
          plugin.onLoad({ filter: /.*/, namespace: 'electron-stand-in' }, () => ({
            loader: 'js',
            contents: `const electron = globalThis.${GLOBAL_KEY}; export default electron; export const { ${exportNames.join(', ')} } = electron;`,
          }));
          if (fakeClock) {
            plugin.onResolve({ filter: /\/system-clock\.js$/ }, () => ({ path: 'system-clock', namespace: 'fake-clock' }));
            plugin.onLoad({ filter: /.*/, namespace: 'fake-clock' }, () => ({ loader: 'js', contents: `export const systemClock = globalThis.${CLOCK_KEY};` }));
          }
          if (keychain === 'unavailable') {
            plugin.onResolve({ filter: /^keytar$/ }, () => ({ path: 'keytar', namespace: 'unavailable-keytar' }));
            plugin.onLoad({ filter: /.*/, namespace: 'unavailable-keytar' }, () => ({ loader: 'js', contents: UNAVAILABLE_KEYTAR }));
          }
        },
      },
    ],
  }).then((result) => result.outputFiles[0]!.text);
  bundles.set(key, bundled);
  return bundled;
}

export interface LaunchOptions {
  /** Settings file text to start with; default: pointed at the sandbox, sign-in in the app window. */
  settingsText?: string;
  keychain?: 'os' | 'unavailable';
  signInWith?: 'app-window' | 'system-browser';
  otherInstanceRunning?: boolean;
  /** The app's clock (timers and wall time) is this fake, moved by the test; default: the system's. */
  clock?: FakeClock;
}

export interface ShellApp {
  readonly sandbox: Sandbox;
  readonly userData: string;
  standIn: ElectronStandIn;
  /** Starts the app under a fresh stand-in and waits for its tray. */
  launch(options?: LaunchOptions): Promise<ElectronStandIn>;
  /** The app's window whose URL ends with this route (e.g. '/settings'), once it is shown. */
  window(route: string): Promise<{ window: StandInBrowserWindow; page: Page }>;
  /** Saves the sandbox user key through the settings window's real window.api. */
  saveUserKey(page: Page): Promise<void>;
  /** This run's $XDG_RUNTIME_DIR, where the app puts its local API socket. */
  readonly runtimeDir: string;
  socketPath(): string;
  /** The real `data2crm-tray` command (a child process) against this run's app. */
  cli(args: readonly string[], options?: CliOptions): Promise<CliRun>;
  settingsPath(): string;
  /** The state database (connection rows, activity) in the run's user-data folder. */
  statePath(): string;
}

export const defaultSettings = (sandbox: Sandbox, signInWith: 'app-window' | 'system-browser' = 'app-window') => ({
  version: 1,
  endpoints: { data2crmApiBase: sandbox.urls.data2crmApi, data2crmAuthBase: sandbox.urls.data2crmAuth, salesforceLoginHost: sandbox.urls.salesforceLogin },
  extraInstanceHosts: [new URL(sandbox.urls.origin).host],
  signIn: { with: signInWith, timeoutMs: 60_000, callbackPort: 1717 },
  connections: [],
});

async function clearKeychain(): Promise<void> {
  for (const { account } of await keytar.findCredentials(KEYCHAIN_SERVICE)) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
}

async function startApp(browser: Browser, userData: string, options: LaunchOptions, sandbox: Sandbox): Promise<ElectronStandIn> {
  if (!existsSync(join(OUT_DIR, 'preload/index.cjs'))) throw new Error('out/ is missing: run `npm run build` first (npm test does).');
  writeFileSync(join(userData, 'settings.json'), options.settingsText ?? JSON.stringify(defaultSettings(sandbox, options.signInWith)));
  const standIn = createElectronStandIn({ browser, userData, appPath: process.cwd(), version: packageJson.version, name: packageJson.productName, otherInstanceRunning: options.otherInstanceRunning ?? false });
  Object.assign(globalThis, { [GLOBAL_KEY]: standIn.electron, [CLOCK_KEY]: options.clock });
  const code = await bundleMain(Object.keys(standIn.electron), options.keychain ?? 'os', options.clock !== undefined);
  // A new file per run: a new module, so main() runs again with fresh state.
  mkdirSync(RUN_DIR, { recursive: true });
  const file = join(RUN_DIR, `main-${process.pid}-${++runs}.js`);
  writeFileSync(file, code);
  await import(pathToFileURL(file).href);
  standIn.app.launch();
  // Generous: a start that waits for its state database shows the tray only after a quiet moment.
  if (!options.otherInstanceRunning) await expect.poll(() => standIn.trays.length, { message: 'the app shows its tray', timeout: 30_000 }).toBe(1);
  return standIn;
}

export const SHELL_RUN_DIR = RUN_DIR;

export const test = base.extend<{ shell: ShellApp }>({
  shell: async ({ browser }, use) => {
    delete process.env['ELECTRON_RENDERER_URL'];
    const xdgConfigHome = process.env['XDG_CONFIG_HOME'];
    const xdgRuntimeDir = process.env['XDG_RUNTIME_DIR'];
    await clearKeychain();
    const sandbox = await startSandbox();
    sandbox.control.addCallbackUrl(SAMPLE_CLIENT.clientId, 'http://127.0.0.1:1717/callback');
    const userData = mkdtempSync(join(tmpdir(), 'd2c-shell-'));
    // The Linux login item writes to $XDG_CONFIG_HOME/autostart: never the developer's own.
    process.env['XDG_CONFIG_HOME'] = join(userData, 'xdg-config');
    // The local API's socket goes to $XDG_RUNTIME_DIR/data2crm-tray: a folder of this run's own.
    const runtimeDir = join(userData, 'xdg-runtime');
    mkdirSync(runtimeDir, { mode: 0o700 });
    process.env['XDG_RUNTIME_DIR'] = runtimeDir;
    const shell: ShellApp = {
      sandbox,
      userData,
      standIn: undefined as unknown as ElectronStandIn,
      async launch(options = {}) {
        shell.standIn = await startApp(browser, userData, options, sandbox);
        return shell.standIn;
      },
      async window(route) {
        let found: StandInBrowserWindow | undefined;
        await expect
          .poll(() => {
            found = shell.standIn.windows.find((w) => w.webContents.getURL().endsWith(`#${route}`) && w.isVisible());
            return found !== undefined;
          }, { message: `a visible window at #${route}`, timeout: 20_000 })
          .toBe(true);
        return { window: found!, page: await found!.webContents.page };
      },
      async saveUserKey(page) {
        await page.evaluate((key) => (window as unknown as { api: { setUserKey(k: string): Promise<unknown> } }).api.setUserKey(key), SAMPLE_USER_KEY);
      },
      runtimeDir,
      socketPath: () => join(runtimeDir, 'data2crm-tray', 'local-api.sock'),
      cli: (args, options = {}) => runCli(args, { ...options, env: { XDG_RUNTIME_DIR: runtimeDir, ...options.env } }),
      settingsPath: () => join(userData, 'settings.json'),
      statePath: () => join(userData, 'state.db'),
    };
    await use(shell);
    if (shell.standIn) {
      shell.standIn.app.quit();
      await shell.standIn.close();
    }
    await sandbox.close();
    await clearKeychain();
    rmSync(userData, { recursive: true, force: true });
    if (xdgConfigHome === undefined) delete process.env['XDG_CONFIG_HOME'];
    else process.env['XDG_CONFIG_HOME'] = xdgConfigHome;
    if (xdgRuntimeDir === undefined) delete process.env['XDG_RUNTIME_DIR'];
    else process.env['XDG_RUNTIME_DIR'] = xdgRuntimeDir;
  },
});

export { expect };

type PageApi = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Calls window.api.<name>(...args) in the page, through the real preload and bridge. */
export function callApi<T = unknown>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([method, values]) => ((globalThis as unknown as { api: PageApi }).api[method]!(...values) as Promise<T>), [name, args] as const);
}

/** A working connection from pasted sandbox tokens (quickest; the sign-in flows have their own tests). */
export async function connectWithTokens(shell: ShellApp, page: Page, label: string): Promise<string> {
  const { externalTokens } = await import('../support/sandbox-tokens.js');
  const tokens = await externalTokens(shell.sandbox);
  const result = await callApi<{ ok: boolean; message?: string }>(page, 'connect', { mode: 'manual', label, crmType: 'Salesforce', instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken });
  expect(result).toMatchObject({ ok: true });
  return String(storedConnections(shell.statePath()).find((c) => c['label'] === label)!['id']);
}
