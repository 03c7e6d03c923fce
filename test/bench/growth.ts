/**
 * Growth: what one check costs as the number of connections grows (10 → 10,000), through the
 * whole core: the result recorded (one connection's row, as keep-alive records it), its activity
 * renewal in the activity log (coalesced: every connection is renewed once first, a steady state
 * at every size), and the delta the windows and tray are sent (serialized, as IPC does). Main-thread busy time and bytes written per check; the figure is the
 * ratio of the largest size to the smallest (flat means ≈ 1). Baseline: the record write alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { composeForBench } from './core-under-test.js';
import { seedConnections } from './seed.js';
import { summarize, type Figure } from './stats.js';


interface Row {
  readonly n: number;
  /** ms per check: record + activity row. */
  readonly store: number[];
  /** ms per check: the delta built (and serialized) for windows and tray. */
  readonly snapshot: number[];
  readonly bytes: number;
  /** Serialized `state:changed` bytes per check. */
  readonly deltaBytes: number;
  /** The longest single check (record, activity, delta), ms: a stall the user could feel. */
  readonly longest: number;
}

async function measure(n: number, checks: number, runs: number): Promise<Row> {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'd2c-bench-growth-'));
  try {
    const store = createMemorySecretStore();
    await seedConnections(sandbox, n, { store, settingsPath: join(dir, 'settings.json') });
    // Bytes handed to storage: connection rows, activity rows and settings-file writes, as the
    // app passes them (SQLite then logs whole 4 KB pages in its write-ahead log).
    let handed = 0;
    let sent = 0;
    const core = await composeForBench(dir, store, { wrapState: (state) => ({
      ...state,
      saveConnections: (put, remove, options) => ((handed += put.reduce((sum, row) => sum + JSON.stringify(row.record).length, 0)), state.saveConnections(put, remove, options)),
      appendActivity: (entry, options) => ((handed += JSON.stringify(entry).length), state.appendActivity(entry, options)),
      replaceActivity: (rowId, entry, options) => ((handed += JSON.stringify(entry).length), state.replaceActivity(rowId, entry, options)),
    }), onSent: (bytes) => (sent += bytes) });
    await core.secretsLoaded;
    const ids = core.settings.get().connections.map((c) => c.id);
    const storeMs: number[] = [];
    const snapshotMs: number[] = [];
    let bytes = 0;
    let deltaBytes = 0;
    let longest = 0;
    let lastAt = 0;
    // A steady state at every size: each connection renewed once, so a check's renewal coalesces
    // into its activity row (at 10 the measured checks come round many times; at 10,000 never).
    for (const id of ids) {
      const at = (lastAt = Math.max(Date.now(), lastAt + 1));
      core.activity.append({ kind: 'renewed', connectionId: id, label: 'Org', at, from: 'healthy', to: 'healthy', detail: null, consecutiveFailures: 0 });
    }
    core.stateStore.commit();
    for (let run = 0; run <= runs; run++) {
      const before = handed;
      const sentBefore = sent;
      let storeTotal = 0;
      let snapshotTotal = 0;
      for (let i = 0; i < checks; i++) {
        // Connections in no particular order, as the schedule reaches them (not neighbours in the table).
        const id = ids[((run * checks + i) * 7919) % ids.length]!;
        // Strictly later each time: at 10 connections a row comes back within the same millisecond,
        // and a check that changes nothing sends nothing (which made the small sizes look cheaper).
        const at = (lastAt = Math.max(Date.now(), lastAt + 1));
        const t0 = performance.now();
        core.settings.updateConnection(id, (c) => ({ ...c, lastVerifiedAt: at, consecutiveFailures: 0 }));
        core.activity.append({ kind: 'renewed', connectionId: id, label: 'Org', at, from: 'healthy', to: 'healthy', detail: null, consecutiveFailures: 0 });
        // At a steady pace each check is alone in its commit window: its commit is its own cost.
        core.stateStore.commit();
        const t1 = performance.now();
        // What the zero timer would send a moment later: the changed view (and the header, if it changed).
        core.app.flush();
        const t2 = performance.now();
        storeTotal += t1 - t0;
        snapshotTotal += t2 - t1;
        if (run > 0) longest = Math.max(longest, t2 - t0);
      }
      // Run 0 is the warm-up.
      if (run === 0) continue;
      storeMs.push(storeTotal / checks);
      snapshotMs.push(snapshotTotal / checks);
      bytes = Math.max(bytes, (handed - before) / checks);
      deltaBytes = Math.max(deltaBytes, (sent - sentBefore) / checks);
    }
    return { n, store: storeMs, snapshot: snapshotMs, bytes, deltaBytes, longest };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchGrowth(sizes: readonly number[], checks: number, runs: number): Promise<Figure[]> {
  const rows: Row[] = [];
  // As many checks at every size: one check no longer costs more with more connections, and a
  // handful of checks at 10,000 would let one garbage collection decide the figure.
  for (const n of sizes) rows.push(await measure(n, checks, runs));
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const median = (v: number[]) => summarize(v).median;
  const table = rows.map((r) => `${r.n}: record+activity ${median(r.store).toFixed(3)} ms, delta ${median(r.snapshot).toFixed(3)} ms (~${Math.round(r.deltaBytes)} B), longest check ${r.longest.toFixed(1)} ms, ~${Math.round(r.bytes)} B written`).join('; ');
  return [
    {
      name: `Growth: recording one check (its row + its renewal in the activity log), ${last.n} vs ${first.n} connections`,
      unit: 'ms',
      app: summarize(last.store),
      baseline: summarize(first.store),
      target: `ratio ≤ 1.5 (flat in the number of connections)`,
      met: median(last.store) / median(first.store) <= 1.5,
      note: table,
    },
    {
      name: `Growth: the delta sent per check (state:changed, tray), ${last.n} vs ${first.n} connections`,
      unit: 'ms',
      app: summarize(last.snapshot),
      baseline: summarize(first.snapshot),
      target: 'ratio ≤ 1.5 (flat in the number of connections)',
      met: median(last.snapshot) / median(first.snapshot) <= 1.5,
    },
    {
      name: `Growth: state:changed bytes per check at ${last.n} connections`,
      unit: 'bytes',
      app: summarize([last.deltaBytes]),
      baseline: summarize([first.deltaBytes]),
      target: '≤ 1 KB per change',
      met: last.deltaBytes <= 1024,
    },
    {
      name: `Growth: bytes written per check at ${last.n} connections`,
      unit: 'bytes',
      app: summarize([last.bytes]),
      baseline: summarize([first.bytes]),
      target: '≤ 2× the changed record',
      met: null,
      note: 'bytes handed to storage per check (its row; its renewal coalesces into its activity row, written again every 6 h; the settings file is not written); SQLite logs whole 4 KB pages',
    },
  ];
}
