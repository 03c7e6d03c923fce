/**
 * Electron end-to-end: launches the built app with Playwright's _electron. It needs the Electron
 * binary, which the electron package downloads on first `npm start` (or `npx install-electron`),
 * not on install; our CI machines cannot download it, so there it is reported as skipped with that
 * reason, never as passed. On a developer machine with the
 * binary (and a keychain) it runs for real: launch, tray, settings, connect through the sandbox.
 * It referees the Electron stand-in: its tests carry the titles of support/app-scenarios.ts, as
 * the shell tier's do (test/shell runs every scenario of that list on every machine).
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SAMPLE_USER, SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { localApiSocketPath } from '../../shared/local-api.js';
import { SCENARIOS } from '../support/app-scenarios.js';

/** The binary's path as the electron package would find it, without its download-on-require. */
function electronBinary(): string | null {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (!executable) return null;
  const full = join(process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(packageDir, 'dist'), executable);
  return existsSync(full) ? full : null;
}

const binary = electronBinary();
test.skip(binary === null, 'skipped: no Electron binary in node_modules/electron (the package downloads it on first `npm start` or `npx install-electron`, which needs GitHub or ELECTRON_MIRROR); runs where the binary exists');

type TrayItem = { kind: string; label?: string };
type TestHooks = { trayModel(): { icon: string; items: TrayItem[] }; runTrayAction(a: { type: string }): Promise<void> };
const hooks = (app: ElectronApplication) => app.evaluate(() => (globalThis as unknown as { __d2cTest: TestHooks }).__d2cTest.trayModel());

let app: ElectronApplication;
let userData: string;
let sandbox: Sandbox;
let quitByTest = false;

test.beforeEach(async () => {
  sandbox = await startSandbox();
  userData = mkdtempSync(join(tmpdir(), 'd2c-e2e-'));
  // The app pointed at the sandbox, as a user would through Account → Advanced.
  writeFileSync(join(userData, 'settings.json'), JSON.stringify({ version: 1, endpoints: { data2crmApiBase: sandbox.urls.data2crmApi, data2crmAuthBase: sandbox.urls.data2crmAuth, salesforceLoginHost: sandbox.urls.salesforceLogin }, extraInstanceHosts: [new URL(sandbox.urls.origin).host], signIn: { with: 'app-window', timeoutMs: 120000, callbackPort: 1717 }, connections: [] }));
  app = await electron.launch({ executablePath: binary!, args: ['.', `--user-data-dir=${userData}`], env: { ...process.env, D2C_TEST_MODE: '1' } as Record<string, string> });
});

test.afterEach(async () => {
  if (!quitByTest) await app.close();
  quitByTest = false;
  await sandbox.close();
  rmSync(userData, { recursive: true, force: true });
});

/** A first start (no connections) opens the settings window by itself (opensSettingsAtStart). */
async function openSettings(): Promise<Page> {
  return app.firstWindow();
}

test(SCENARIOS.firstStart, async () => {
  const page = await openSettings();
  const version = await app.evaluate(({ app: electronApp }) => electronApp.getVersion());
  await expect(page.getByTestId('app-version')).toHaveText(version);
  await expect.poll(() => hooks(app).then((m) => m.items.map((i) => i.label)), { timeout: 15_000 }).toEqual(expect.arrayContaining(['Connect Salesforce org…', 'Settings…']));
});

test(SCENARIOS.quitFromWindow, async () => {
  const page = await openSettings();
  const closed = app.waitForEvent('close');
  await page.getByRole('button', { name: 'Quit Data2CRM Tray' }).click();
  await closed;
  quitByTest = true;
});

test(SCENARIOS.connectAppWindow, async () => {
  const page = await openSettings();
  await page.getByRole('tab', { name: 'Account' }).click();
  await page.getByLabel('New user key').fill(SAMPLE_USER_KEY);
  await page.getByRole('button', { name: 'Save key' }).click();
  await page.getByRole('tab', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill('E2E org');
  const signInWindow = app.waitForEvent('window');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const signIn = await signInWindow;
  await signIn.getByLabel('Username').fill(SAMPLE_USER.username);
  await signIn.getByLabel('Password').fill(SAMPLE_USER.password);
  await signIn.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { name: 'E2E org' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Healthy', { exact: true })).toBeVisible();
  await expect.poll(() => hooks(app).then((m) => m.items.map((i) => i.label).join('|'))).toContain('E2E org — healthy');
  expect(sandbox.state.applications.size).toBe(1);
});

test(SCENARIOS.commandLineStatus, async () => {
  // The packaged way: the app's own binary runs the bundle as Node (resources/cli/data2crm-tray does this).
  await openSettings();
  const socket = localApiSocketPath({ platform: process.platform, env: process.env, dataDir: userData });
  await expect.poll(() => existsSync(socket), { timeout: 15_000 }).toBe(true);
  const run = spawnSync(binary!, [resolve('out/cli/data2crm-tray.cjs'), '--socket', socket, 'status', '--json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 1, app: { name: 'Data2CRM Tray', needsYou: false }, connections: [] });
});
