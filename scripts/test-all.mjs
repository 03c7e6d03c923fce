// `npm test`: every check, one summary. Runs the type-checks, lint, the build, the security scan,
// Vitest (unit, integration, static) and Playwright (UI in Chromium, Electron e2e), then prints
// `N passed, N failed, N skipped` as its last line: each static check counts as one test.
// On Linux it first re-runs itself inside a private D-Bus session with an unlocked gnome-keyring,
// so keychain tests use a real Secret Service and never the developer's own keychain.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const RESULTS = 'test-results';

/** On Linux, re-run this script inside a private keychain session (see with-private-keychain.mjs). */
function inPrivateKeychain() {
  if (process.platform !== 'linux' || process.env.D2C_PRIVATE_KEYCHAIN === '1') return;
  const run = spawnSync('node', ['scripts/with-private-keychain.mjs', 'node', 'scripts/test-all.mjs'], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${[command, ...args].join(' ')}`);
  const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
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

function suite(name, command, args, reportPath, count) {
  rmSync(reportPath, { force: true });
  const ok = step(name, command, args);
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
check('security scan (electronegativity)', 'node', ['scripts/security-scan.mjs']);

suite('vitest (unit, integration, static)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${RESULTS}/vitest.json`], `${RESULTS}/vitest.json`, (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? 1 : 0),
  skipped: r.numPendingTests + r.numTodoTests,
}));

suite('playwright (UI in Chromium, Electron e2e)', bin('playwright'), ['test'], `${RESULTS}/playwright.json`, (r) => ({
  passed: r.stats.expected + r.stats.flaky,
  failed: r.stats.unexpected + (r.errors?.length ? 1 : 0),
  skipped: r.stats.skipped,
}));

if (failures.length) console.log(`\nfailed: ${failures.join('; ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
