/**
 * `npm run bench`: the app's own cost against the bare work it wraps, measured side by side in
 * one run. Prints the machine first, then each figure as app, baseline and ratio (median of
 * several runs after a warm-up, with min and max), and writes test-results/bench.json.
 * `--smoke` runs every benchmark at tiny sizes (used by npm test; its figures mean nothing).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { launchChromium } from '../support/chromium.js';
import { benchCatchUp } from './catch-up.js';
import { benchCommandLine } from './command-line.js';
import { benchDisk } from './disk.js';
import { benchGrowth } from './growth.js';
import { benchIdle } from './idle.js';
import { benchKeeper } from './keeper.js';
import { benchLoneCheck } from './lone-check.js';
import { benchMemory } from './memory.js';
import { benchRefreshRound } from './refresh-round.js';
import { benchRenderer, bundleSize } from './renderer.js';
import { benchRendererUpdate } from './renderer-update.js';
import { benchSchedulingCost } from './scheduling-cost.js';
import { benchStartupLoad } from './startup-load.js';
import { ratio, type Figure } from './stats.js';

const smoke = process.argv.includes('--smoke');
/** `--only renderer` (or disk, check, growth, refresh, catchup, startup, scheduling, idle, memory, cli, keeper) runs one group. */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const wanted = (group: string) => only === null || only === group;
const size = smoke
  ? { disk: { small: 5, large: 20, checks: 10, hourly: 10, warmupMs: 30_000, hourMs: 3 * 60_000 }, check: { sizes: [5, 10], samples: 1 }, growth: [10, 100], checks: 5, refresh: 10, catchUp: [20], catchUpSpanMs: 500, startup: 20, scheduling: 100, idleConnections: 10, idleWindows: 2, idleWindowMs: 500, memory: 100, rows: 20, commandLine: 20, runs: 1, keeper: 20, keeperWindows: 1, keeperWindowMs: 500, keeperSettleMs: 1_000, keeperQuietMs: 500 }
  : { disk: { small: 10, large: 10_000, checks: 3_000, hourly: 1_000, warmupMs: 15 * 60_000, hourMs: 3_600_000 }, check: { sizes: [10, 10_000], samples: 40 }, growth: [10, 100, 1000, 10_000], checks: 200, refresh: 500, catchUp: [5000, 10_000], catchUpSpanMs: 20_000, startup: 1000, scheduling: 10_000, idleConnections: 100, idleWindows: 3, idleWindowMs: 60_000, memory: 10_000, rows: 1000, commandLine: 1000, runs: 5, keeper: 10_000, keeperWindows: 5, keeperWindowMs: 60_000, keeperSettleMs: 10_000, keeperQuietMs: 20_000 };

const format = (v: number, unit: string) => (unit === 'bytes' ? `${Math.round(v)} B` : unit === 'count' ? String(Math.round(v)) : v > 0 && v < 0.01 ? `${v.toPrecision(2)} ${unit}` : `${v.toFixed(unit === 'KB' ? 1 : 2)} ${unit}`);

function print(figure: Figure): void {
  const r = ratio(figure);
  const app = `${format(figure.app.median, figure.unit)} (min ${format(figure.app.min, figure.unit)}, max ${format(figure.app.max, figure.unit)}, ${figure.app.runs} runs)`;
  const base = figure.baseline ? `${format(figure.baseline.median, figure.unit)} (min ${format(figure.baseline.min, figure.unit)}, max ${format(figure.baseline.max, figure.unit)})` : '—';
  const verdict = figure.met === null ? 'reported' : figure.met ? 'met' : 'MISSED';
  console.log(`\n${figure.name}\n  app      ${app}\n  baseline ${base}\n  ratio    ${r === null ? '—' : r.toFixed(2)}\n  target   ${figure.target}: ${verdict}${figure.note ? `\n  note     ${figure.note}` : ''}`);
}

async function main(): Promise<void> {
  if (!existsSync('out/renderer/index.html')) spawnSync('node_modules/.bin/electron-vite', ['build'], { stdio: 'inherit' });
  if (!existsSync('out/cli/data2crm-tray.cjs')) spawnSync('node', ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  const browser = await launchChromium();
  const started = Date.now();
  console.log(`Data2CRM Tray benchmarks${smoke ? ' (smoke run: tiny sizes, figures mean nothing)' : ''}`);
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; Chromium ${browser.version()}`);
  const figures: Figure[] = [];
  const add = (f: Figure | Figure[]) => {
    for (const figure of Array.isArray(f) ? f : [f]) {
      figures.push(figure);
      print(figure);
    }
  };
  try {
    if (wanted('disk')) add(await benchDisk(size.disk));
    if (wanted('check')) add(await benchLoneCheck(size.check.sizes, size.check.samples));
    if (wanted('growth')) add(await benchGrowth(size.growth, size.checks, size.runs));
    if (wanted('refresh')) add(await benchRefreshRound(size.refresh, size.runs));
    if (wanted('catchup')) for (const count of size.catchUp) add(await benchCatchUp(count, size.runs, size.catchUpSpanMs));
    if (wanted('startup')) add((await benchStartupLoad(size.startup, size.runs)).figures);
    if (wanted('scheduling')) add(await benchSchedulingCost(size.scheduling, size.runs));
    if (wanted('idle')) add(await benchIdle(size.idleConnections, size.idleWindows, size.idleWindowMs));
    if (wanted('memory')) add(await benchMemory(size.memory, size.runs));
    if (wanted('cli')) add(await benchCommandLine(size.commandLine, size.runs));
    if (wanted('keeper')) add(await benchKeeper(size.keeper, size.keeperWindows, size.keeperWindowMs, size.keeperSettleMs, size.keeperQuietMs));
    if (wanted('renderer')) {
      add(bundleSize());
      add(await benchRenderer(browser, size.rows, size.runs));
      add(await benchRendererUpdate(browser, size.rows, size.runs));
    }
  } finally {
    await browser.close();
  }
  mkdirSync('test-results', { recursive: true });
  writeFileSync(`test-results/bench${smoke ? '-smoke' : ''}${only ? `-${only}` : ''}.json`, JSON.stringify({ at: new Date().toISOString(), smoke, figures }, null, 2));
  console.log(`\n${figures.length} figures in ${Math.round((Date.now() - started) / 1000)} s; ${figures.filter((f) => f.met === false).length} targets missed.`);
}

await main();
