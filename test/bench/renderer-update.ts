/**
 * Renderer after a minute (issue #16): the settings window showing N connections gets the next
 * state a minute later (the page's clock moved 60 s, and the connections checked in that minute
 * changed), against the same window getting a one-row change. Both snapshots are built by the
 * core in Node (seeded connections, one check recorded per connection due in that minute, as the
 * growth bench records one), rendered by the production renderer in Chromium. Measured: time from
 * the push to the frame showing it, and how many rows and time texts rendered (render-probe.ts). Both views: the
 * compact table (the default above 12 connections) and the list. Target: ≤ 2× the one-row case.
 */
import type { Browser, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Snapshot, StateDelta } from '../../preload/contract.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { createFakeClock } from '../support/fake-clock.js';
import { serveFolder } from '../support/static-server.js';
import { composeForBench } from './core-under-test.js';
import { stubApi, untilFrame } from './renderer.js';
import { seedConnections } from './seed.js';
import { summarize, type Figure } from './stats.js';

const RENDERER = resolve('out/renderer');
const MINUTE = 60_000;
/** Internal connections are verified every 15 min: about one in 15 is checked in any minute. */
const CHECKED_EVERY = 15;

interface Snapshots {
  /** At T. */
  readonly before: Snapshot;
  /** At T, one row renamed (the one-row change), as main sends it: a delta. */
  readonly oneRow: StateDelta;
  /** At T + 1 min: the connections checked in that minute re-verified (the delta main sends). */
  readonly minuteLater: StateDelta;
  readonly at: number;
}

/** Two snapshots a minute apart, from the core itself (records as a check writes them). */
async function realSnapshots(n: number): Promise<Snapshots> {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-renderer-update-'));
  try {
    const store = createMemorySecretStore();
    await seedConnections(sandbox, n, { store, settingsPath: join(dir, 'settings.json') });
    const clock = createFakeClock(Date.now());
    const core = await composeForBench(dir, store, { clock });
    try {
      const at = clock.now();
      const before = core.app.snapshot();
      const first = before.connections[0]!;
      // The deltas the app service sends for each change (what a visible window receives).
      const deltas: StateDelta[] = [];
      const unsubscribe = core.app.subscribe((delta) => deltas.push(delta));
      core.settings.update((s) => ({ ...s, connections: s.connections.map((c) => (c.id === first.id ? { ...c, label: `${c.label} (renamed)` } : c)) }));
      core.app.changed([first.id]);
      clock.advance(MINUTE);
      const checked = before.connections.filter((_, i) => i % CHECKED_EVERY === CHECKED_EVERY >> 1).map((c) => c.id);
      const due = new Set(checked);
      core.settings.update((s) => ({ ...s, connections: s.connections.map((c) => (due.has(c.id) ? { ...c, lastVerifiedAt: clock.now(), consecutiveFailures: 0 } : c)) }));
      core.app.changed(checked);
      unsubscribe();
      const [oneRow, minuteLater] = deltas;
      if (!oneRow || !minuteLater || deltas.length !== 2) throw new Error(`expected two deltas from the core, got ${deltas.length}`);
      return { before, oneRow, minuteLater, at };
    } finally {
      core.keepAlive.stop();
    }
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The page's wall clock, movable (Date.now only: timers and performance.now stay real, so the
 * measurement is real time), and the per-row render counts the renderer keeps for tests.
 */
const pageClock = (at: number) => `
  window.__d2cRenders = {};
  window.__clockOffset = ${at} - Date.now();
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + window.__clockOffset;
`;

const VIEWS = {
  // One tbody per connection (its line, and its card when opened).
  table: { ready: 'table.connections-table tbody[data-key]', clockText: 'table.connections-table tbody[data-key] > tr > td:last-child', nameText: 'table.connections-table tbody[data-key] > tr > td:first-child' },
  list: { ready: 'ul.connections > li', clockText: 'ul.connections > li .state-line', nameText: 'ul.connections > li h3' },
} as const;
type View = keyof typeof VIEWS;

/** A snapshot's header part (a reset delta carries it). */
const headerOf = ({ seq: _seq, connections: _connections, ...header }: Snapshot) => header;

/** Renders so far, rows (`row:`) and their clock-bound texts (`time:`, list view) counted apart. */
const rendered = (page: Page) =>
  page.evaluate(`(() => {
    const sum = (prefix) => Object.entries(window.__d2cRenders).filter(([key]) => key.startsWith(prefix)).reduce((total, [, n]) => total + n, 0);
    return { rows: sum('row:'), texts: sum('time:') };
  })()`) as Promise<Renders>;
const since = (a: Renders, b: Renders): Renders => ({ rows: b.rows - a.rows, texts: b.texts - a.texts });
interface Renders {
  readonly rows: number;
  readonly texts: number;
}

/**
 * One run on a fresh page: the one-row change, then the minute (interleaved, so both see the same
 * machine load). Returns ms from push to frame for each, and the rows rendered by each.
 */
async function run(browser: Browser, origin: string, snaps: Snapshots, view: View): Promise<{ oneRow: number; minute: number; oneRowRenders: Renders; minuteRenders: Renders; rows: number }> {
  const sel = VIEWS[view];
  const page = await browser.newPage({ viewport: { width: 920, height: 680 } });
  try {
    await page.addInitScript({ content: pageClock(snaps.at) + stubApi(snaps.before) });
    await page.goto(`${origin}/index.html#/settings`);
    // Above 12 connections the window opens with the table; the list is one click away.
    await untilFrame(page, `document.querySelector('[data-key]')`);
    if (view === 'list') {
      await page.getByRole('button', { name: 'List', exact: true }).click();
      await untilFrame(page, `document.querySelector('${sel.ready}')`);
    }
    const rows = await page.locator(sel.ready).count();
    // One unmeasured push of the same state first, so neither measured update is the page's first.
    await page.evaluate(`window.__emit(${JSON.stringify({ seq: snaps.before.seq, reset: true, header: headerOf(snaps.before), upserts: snaps.before.connections, removals: [] })})`);
    await untilFrame(page, 'true');

    const renamed = snaps.oneRow.upserts[0]!.label;
    let counted = await rendered(page);
    const t0 = (await page.evaluate(`(() => { const start = performance.now(); window.__emit(${JSON.stringify(snaps.oneRow)}); return start; })()`)) as number;
    const t1 = await untilFrame(page, `document.querySelector('${sel.nameText}')?.textContent === ${JSON.stringify(renamed)}`);
    const oneRowRenders = since(counted, await rendered(page));

    // A minute later: the clock moves (the window re-reads it, as on its timer) and the next state arrives.
    const shown = await page.locator(sel.clockText).first().textContent();
    counted = await rendered(page);
    const t2 = (await page.evaluate(`(() => {
      const start = performance.now();
      window.__clockOffset += ${MINUTE};
      window.__emit(${JSON.stringify(snaps.minuteLater)});
      document.dispatchEvent(new Event('visibilitychange'));
      return start;
    })()`)) as number;
    const t3 = await untilFrame(page, `(document.querySelector('${sel.clockText}')?.textContent ?? ${JSON.stringify(shown)}) !== ${JSON.stringify(shown)}`);
    const minuteRenders = since(counted, await rendered(page));
    return { oneRow: t1 - t0, minute: t3 - t2, oneRowRenders, minuteRenders, rows };
  } finally {
    await page.close();
  }
}

export async function benchRendererUpdate(browser: Browser, n: number, runs: number): Promise<Figure[]> {
  const snaps = await realSnapshots(n);
  const server = await serveFolder(RENDERER);
  try {
    const figures: Figure[] = [];
    for (const view of ['table', 'list'] as const) {
      await run(browser, server.origin, snaps, view); // warm-up
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await run(browser, server.origin, snaps, view));
      const minute = summarize(results.map((r) => r.minute));
      const oneRow = summarize(results.map((r) => r.oneRow));
      const last = results.at(-1)!;
      figures.push({
        name: `Renderer: a minute later at ${n} connections (${view}), push to frame`,
        unit: 'ms',
        app: minute,
        baseline: oneRow,
        target: '≤ 2× the one-row change',
        met: minute.median / oneRow.median <= 2,
        note: `rendered after the minute: ${last.minuteRenders.rows} rows, ${last.minuteRenders.texts} time texts; for the one-row change: ${last.oneRowRenders.rows} rows, ${last.oneRowRenders.texts} time texts; ${last.rows} of ${n} rows in the DOM`,
      });
    }
    return figures;
  } finally {
    await server.close();
  }
}
