// `npm test`: every check, one summary. Runs the type-checks, lint, the build, the security scan,
// Vitest (unit, integration, static), Playwright (UI in Chromium, Electron e2e), the shell tier
// (main/index.ts under the Electron stand-in) and the coverage figure over all of them, then
// prints `N passed, N failed, N skipped` as its last line: each static check counts as one test.
// On Linux it first re-runs itself inside a private D-Bus session with an unlocked gnome-keyring,
// so keychain tests use a real Secret Service and never the developer's own keychain.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const RESULTS = 'test-results';

/** On Linux, re-run this script inside a private keychain session (see with-private-keychain.mjs). */
function inPrivateKeychain() {
  if (process.platform !== 'linux' || process.env.D2C_PRIVATE_KEYCHAIN === '1') return;
  const run = spawnSync('node', ['scripts/with-private-keychain.mjs', 'node', 'scripts/test-all.mjs'], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

/** Seconds each step took, printed at the end: `npm test` is kept under 15 minutes on 2 cores. */
const timings = [];

function step(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  timings.push(`${name}: ${Math.round((Date.now() - started) / 1000)} s`);
  return run.status === 0;
}

function fail(name) {
  totals.failed++;
  failures.push(name);
}

function check(name, command, args) {
  if (step(name, command, args)) totals.passed++;
  else fail(name);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function suite(name, command, args, reportPath, count, env = {}) {
  rmSync(reportPath, { force: true });
  const ok = step(name, command, args, env);
  const report = readJson(reportPath);
  if (!report) {
    // The runner died before reporting: count the whole tier as one failure.
    fail(`${name} (no report)`);
    return;
  }
  const c = count(report);
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
  if (c.failed > 0) failures.push(name);
  else if (!ok) fail(`${name} (runner exited non-zero)`);
}

inPrivateKeychain();
mkdirSync(RESULTS, { recursive: true });
const bin = (name) => `node_modules/.bin/${name}`;
if (!existsSync(bin('tsc'))) {
  console.error('node_modules is missing: run `npm install` first.');
  process.exit(1);
}

check('typecheck (main, preload, node tests)', bin('tsc'), ['-p', 'tsconfig.node.json']);
check('typecheck (renderer)', bin('tsc'), ['-p', 'tsconfig.web.json']);
check('typecheck (browser tests)', bin('tsc'), ['-p', 'tsconfig.test-browser.json']);
check('lint', bin('eslint'), ['.', '--max-warnings', '0']);
check('build (electron-vite)', bin('electron-vite'), ['build']);
check('build (command line bundle)', 'node', ['scripts/build-cli.mjs']);
check('security scan (electronegativity)', 'node', ['scripts/security-scan.mjs']);

// Every tier records which lines of main/ and preload/ it ran (scripts/coverage-report.mjs).
const COVERAGE = `${RESULTS}/coverage`;
const V8_UI = resolve(`${COVERAGE}/v8-ui`);
const V8_SHELL = resolve(`${COVERAGE}/v8-shell`);
rmSync(COVERAGE, { recursive: true, force: true });
rmSync('node_modules/.cache/d2c-shell-app', { recursive: true, force: true });

// Keeper child processes started by Vitest tests record their coverage next to the shell tier's (both are bundles).
suite('vitest (unit, integration, static)', bin('vitest'), ['run', '--coverage', '--reporter=default', '--reporter=json', `--outputFile=${RESULTS}/vitest.json`], `${RESULTS}/vitest.json`, (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? 1 : 0),
  skipped: r.numPendingTests + r.numTodoTests,
}), { D2C_CHILD_V8_COVERAGE: V8_SHELL });

const playwrightCount = (r) => ({
  passed: r.stats.expected + r.stats.flaky,
  failed: r.stats.unexpected + (r.errors?.length ? 1 : 0),
  skipped: r.stats.skipped,
});
suite('playwright (UI in Chromium, Electron e2e)', bin('playwright'), ['test', '--project=ui', '--project=electron'], `${RESULTS}/playwright.json`, playwrightCount, { NODE_V8_COVERAGE: V8_UI });
// Alone: it uses the app's own keychain service and callback port.
suite('shell (main/index.ts under the Electron stand-in)', bin('playwright'), ['test', '--project=shell', '--reporter=list,json'], `${RESULTS}/playwright-shell.json`, playwrightCount, { NODE_V8_COVERAGE: V8_SHELL, PLAYWRIGHT_JSON_OUTPUT_FILE: `${RESULTS}/playwright-shell.json` });
check('coverage (all tiers, main/ and preload/)', 'node', ['scripts/coverage-report.mjs', `${COVERAGE}/vitest/coverage-final.json`, V8_UI, V8_SHELL]);

console.log(`\ntime per step: ${timings.join('; ')}`);
if (failures.length) console.log(`\nfailed: ${failures.join('; ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
