/**
 * Renderer: production JS + CSS size (gzipped); the settings window rendering N connections in
 * Chromium against a static HTML table of the same rows; and the time from a state-change event
 * to the updated row on screen, against changing the same cell of the static table.
 */
import type { Browser, Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ConnectionView, Snapshot } from '../../preload/contract.js';
import { serveFolder } from '../support/static-server.js';
import { repeat, summarize, type Figure } from './stats.js';

const RENDERER = resolve('out/renderer');

function snapshotOf(n: number): Snapshot {
  const connections: ConnectionView[] = Array.from({ length: n }, (_, i) => ({
    id: `bench-conn-${String(i).padStart(6, '0')}`,
    label: `Org ${i}`,
    mode: 'external',
    crmType: 'Salesforce',
    instanceUrl: `https://org${i}.my.salesforce.com`,
    orgId: '00D000000000001',
    username: `user${i}@example.com`,
    status: 'healthy',
    nextRunAt: null,
    lifetimeLine: null,
    newTokensBy: 'sign-in',
    statusDetail: null,
    since: null,
    lastVerifiedAt: Date.now() - 60_000,
    lastRefreshedAt: Date.now() - 60_000,
    expiresAt: Date.now() + 95 * 60_000,
    applicationKeyFingerprint: '…9f3a',
    accessTokenFingerprint: '…x1y2',
    hasRefreshToken: true,
    snoozedUntil: null,
    busy: false,
  }));
  return { seq: 0, status: 'ok', summary: `${n} connections · all healthy`, paused: false, storage: { kind: 'keychain', detail: 'Keychain.' }, serviceKeyRejected: false, userKey: { set: true, fingerprint: '…abcd' }, connections, orphans: [] };
}

/** window.api answering from a prepared snapshot: the data source does not matter to render time. */
export const stubApi = (snapshot: Snapshot) => `
  window.__listeners = [];
  window.api = {
    getAppInfo: async () => ({ name: 'Data2CRM Tray', version: '0.1.0' }),
    getState: async () => (${JSON.stringify(snapshot)}),
    onState: (l) => (window.__listeners.push(l), () => undefined),
    onStatus: () => () => undefined,
    getSettings: async () => null,
  };
  window.__emit = (s) => window.__listeners.forEach((l) => l(s));
`;

// Plain strings, not functions: the TypeScript loader would add helpers the page does not have.
export const untilFrame = (page: Page, check: string): Promise<number> =>
  page.evaluate(`new Promise((resolve) => { const tick = () => ((${check}) ? resolve(performance.now()) : requestAnimationFrame(tick)); tick(); })`);

export function bundleSize(): Figure {
  const assets = join(RENDERER, 'assets');
  const bytes = readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
  const kb = bytes / 1024;
  return { name: 'Renderer: production JS + CSS, gzipped', unit: 'KB', app: { median: kb, min: kb, max: kb, runs: 1 }, baseline: null, target: '≤ 150 KB', met: kb <= 150 };
}

export async function benchRenderer(browser: Browser, n: number, runs: number): Promise<Figure[]> {
  const server = await serveFolder(RENDERER);
  const snapshot = snapshotOf(n);
  const rows = snapshot.connections.map((c) => `<tr><td>${c.label}</td><td>healthy · renews in 95 min</td><td>${c.instanceUrl}</td><td>${c.applicationKeyFingerprint}</td></tr>`).join('');
  const staticHtml = `<!doctype html><html><head><meta charset="utf-8"><title>static</title></head><body><table><tbody id="t">${rows}</tbody></table></body></html>`;
  try {
    const appUpdate: number[] = [];
    const staticUpdate: number[] = [];
    const app = await repeat(runs, 1, async () => {
      const page = await browser.newPage();
      await page.addInitScript({ content: stubApi(snapshot) });
      await page.goto(`${server.origin}/index.html#/settings`);
      // Virtualized: the rows on screen are all there is to wait for (the table above 12 connections).
      const renderedAt = await untilFrame(page, `document.querySelector('[data-key]') !== null`);
      // A state change for one row, pushed like main does (a delta with that one view); time until it is on screen.
      // The first row (on screen; its new name keeps it first in the table's order).
      const changed = { seq: snapshot.seq + 1, upserts: [{ ...snapshot.connections[0]!, label: 'Org 0 (renamed)' }], removals: [] };
      const t0 = (await page.evaluate(`(() => { const start = performance.now(); window.__emit(${JSON.stringify(changed)}); return start; })()`)) as number;
      const t1 = await untilFrame(page, `[...document.querySelectorAll('[data-key]')].some((row) => row.textContent.includes('Org 0 (renamed)'))`);
      appUpdate.push(t1 - t0);
      await page.close();
      return renderedAt;
    });
    const baseline = await repeat(runs, 1, async () => {
      const page = await browser.newPage();
      await page.route(`${server.origin}/static.html`, (route) => route.fulfill({ contentType: 'text/html', body: staticHtml }));
      await page.goto(`${server.origin}/static.html`);
      const renderedAt = await untilFrame(page, `document.querySelectorAll('tr').length >= ${n}`);
      const t0 = (await page.evaluate(`(() => { const start = performance.now(); document.querySelectorAll('tr')[0].firstElementChild.textContent = 'Org 0 (renamed)'; return start; })()`)) as number;
      const t1 = await untilFrame(page, `document.querySelectorAll('tr')[0].firstElementChild.textContent === 'Org 0 (renamed)'`);
      staticUpdate.push(t1 - t0);
      await page.close();
      return renderedAt;
    });
    const update = summarize(appUpdate.slice(-runs));
    const updateBase = summarize(staticUpdate.slice(-runs));
    return [
      { name: `Renderer: settings window with ${n} connections, time to rows on screen`, unit: 'ms', app, baseline, target: 'ratio ≤ 3 vs a static table', met: app.median / baseline.median <= 3 },
      { name: 'Renderer: state-change event to updated row on screen', unit: 'ms', app: update, baseline: updateBase, target: 'report', met: null },
    ];
  } finally {
    await server.close();
  }
}
