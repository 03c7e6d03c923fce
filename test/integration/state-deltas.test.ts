/**
 * What the windows are sent per change, through the whole core at 1,000 connections: one real
 * check (sandbox over HTTP) sends only that connection's view, each event ≤ 1 KB serialized; a
 * window following the deltas keeps every other row's object; app-wide changes send the header
 * alone; the tray is built from its few rows. The secret store is the in-memory one the app
 * itself uses without a keychain: 1,000 keychain entries would measure gnome-keyring, not this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_COALESCE_MS } from '../../main/core/app-service.js';
import { TRAY_CONNECTION_ROWS } from '../../main/core/tray-model.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { eventChannels, type Snapshot, type StateDelta } from '../../preload/contract.js';
import { createStateFollower } from '../../preload/state-follower.js';
import { composeForBench } from '../bench/core-under-test.js';
import { seedConnections } from '../bench/seed.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';

const N = 1_000;
let sandbox: Sandbox;
let dir: string;
let core: Awaited<ReturnType<typeof composeForBench>>;
const deltas: StateDelta[] = [];
let shown: Snapshot | null = null;
const follower = createStateFollower(async () => core.app.snapshot(), (s) => void (shown = s));
/** What leaves main per event: the contract's parse, then IPC's serialization. */
const wireSize = (delta: StateDelta) => Buffer.byteLength(JSON.stringify(eventChannels['state:changed'].parse(delta)));
/** Changes go out together, on the clock's timer, a moment after they happen. */
const settled = () => new Promise((resolve) => setTimeout(resolve, FEED_COALESCE_MS + 30));

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'd2c-state-deltas-'));
  const store = createMemorySecretStore();
  await seedConnections(sandbox, N, { store, settingsPath: join(dir, 'settings.json') });
  core = await composeForBench(dir, store, { presenter: false });
  // Secrets loaded change every view (their fingerprints): that large change is sent before the tests start.
  await core.secretsLoaded;
  core.app.flush();
  core.app.subscribe((delta) => {
    deltas.push(delta);
    follower.receive(delta);
  });
  follower.start();
  await settled();
  if (shown?.connections.length !== N) throw new Error('the window did not get the whole state');
}, 120_000);

afterAll(async () => {
  core.keepAlive.stop();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`state:changed at ${N} connections`, () => {
  it('one check sends only its connection, each event ≤ 1 KB, and every other row keeps its object', async () => {
    const before = shown!;
    const id = before.connections[N / 2]!.id;
    deltas.length = 0;
    await core.keepAlive.refreshNow(id);
    await settled();
    // Two at most: "refreshing…" when it starts, then its result, busy flag and next run together.
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThanOrEqual(2);
    for (const delta of deltas) {
      expect(wireSize(delta)).toBeLessThanOrEqual(1024);
      expect(delta.removals).toEqual([]);
      expect(delta.upserts.map((v) => v.id)).toEqual([id]);
    }
    const after = shown!;
    expect(after.seq).toBe(deltas.at(-1)!.seq);
    expect(after.connections).toHaveLength(N);
    const changed = after.connections.filter((view, i) => view !== before.connections[i]);
    expect(changed.map((v) => v.id)).toEqual([id]);
    expect(changed[0]!.lastVerifiedAt).toBeGreaterThan(before.connections[N / 2]!.lastVerifiedAt!);
    // What the window holds is what main would answer now.
    expect(after).toEqual(core.app.snapshot());
  });

  it('changes close together go out as one delta (a round of checks costs one view per connection, not one per step)', async () => {
    const [a, b] = shown!.connections.slice(100, 102).map((c) => c.id);
    deltas.length = 0;
    core.settings.updateConnection(a!, (c) => ({ ...c, lastVerifiedAt: Date.now() }));
    // Another turn of the event loop, well within the span: a zero timer would have sent two.
    await new Promise((resolve) => setTimeout(resolve, 5));
    core.settings.updateConnection(b!, (c) => ({ ...c, lastVerifiedAt: Date.now() }));
    await settled();
    expect(deltas).toHaveLength(1);
    expect(deltas[0]!.upserts.map((v) => v.id).sort()).toEqual([a, b].sort());
    expect(shown).toEqual(core.app.snapshot());
  });

  it('views carry timestamps, never relative-time text', () => {
    const text = JSON.stringify(core.app.snapshot().connections);
    expect(text).not.toMatch(/\bago\b|\bin \d+ min\b|just now|verified/);
    expect(core.app.snapshot().connections[0]).not.toHaveProperty('stateLine');
  });

  it('an app-wide change (pause) sends the header alone, no views', async () => {
    deltas.length = 0;
    core.app.setPaused(true);
    await settled();
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toMatchObject({ header: { paused: true, status: 'paused' }, upserts: [], removals: [] });
    expect(wireSize(deltas[0]!)).toBeLessThanOrEqual(1024);
    expect(shown!.paused).toBe(true);
    core.app.setPaused(false);
  });

  it('the tray gets its few most urgent rows and the count, not all views', async () => {
    const victim = shown!.connections[N - 1]!.id;
    core.settings.updateConnection(victim, (c) => ({ ...c, status: 'needs-reauthorization' }));
    await settled();
    const tray = core.app.trayState({ productName: 'Data2CRM Tray', version: '0.0.0' }, Date.now());
    expect(tray.connectionCount).toBe(N);
    expect(tray.connections).toHaveLength(TRAY_CONNECTION_ROWS);
    // Those needing the user first, then the rest in the connections' order.
    expect(tray.connections.map((c) => c.id)).toEqual([victim, ...shown!.connections.slice(0, TRAY_CONNECTION_ROWS - 1).map((c) => c.id)]);
    expect(tray.summary).toBe(`${N} connections · 1 needs you`);
  });

  it('a removed connection goes out as its id, and the window drops just that row', async () => {
    const before = shown!;
    const gone = before.connections[1]!.id;
    deltas.length = 0;
    core.settings.removeConnection(gone);
    await settled();
    expect(deltas.flatMap((d) => d.removals)).toEqual([gone]);
    expect(shown!.connections).toEqual(before.connections.filter((c) => c.id !== gone));
    expect(shown!.connections.every((view) => before.connections.includes(view))).toBe(true);
  });
});
