/**
 * A resume re-plans every overdue connection's next run: at 10,000 connections that change went
 * out as one delta of ≈ 4.8 MB (every view), which a visible window parsed in one go. Now no delta
 * carries more than DELTA_MAX_BYTES of views, and a window following them still ends with every
 * connection's new next run. Keep-alive is paused, so the re-plan is all that happens (no check
 * starts); the feed's timers are on the test's clock. The re-plan itself is chunked: the resume's
 * own turn places STAGGER_CHUNK runs, and the rest follow on the next turns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_COALESCE_MS } from '../../main/core/app-service.js';
import { STAGGER_CHUNK } from '../../main/core/keepalive/scheduler.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { eventChannels, type Snapshot, type StateDelta } from '../../preload/contract.js';
import { createStateFollower } from '../../preload/state-follower.js';
import { composeForBench } from '../bench/core-under-test.js';
import { seedConnections } from '../bench/seed.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { createFakeClock } from '../support/fake-clock.js';

const N = 10_000;
const HOUR = 3_600_000;
let sandbox: Sandbox;
let dir: string;
const wireSize = (delta: StateDelta) => Buffer.byteLength(JSON.stringify(eventChannels['state:changed'].parse(delta)));

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'd2c-resume-deltas-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`a resume with ${N} connections overdue`, () => {
  it('sends no delta over 50 KB, and a window following the deltas shows every connection’s new next run', async () => {
    const store = createMemorySecretStore();
    await seedConnections(sandbox, N, { store, settingsPath: join(dir, 'settings.json') });
    const clock = createFakeClock(Date.now());
    const core = await composeForBench(dir, store, { clock, stateOptions: { setTimer: clock.setTimer }, presenter: false });
    await core.secretsLoaded;
    core.keepAlive.start();
    core.keepAlive.pause();
    core.app.flush();
    let shown: Snapshot | null = null;
    const follower = createStateFollower(async () => core.app.snapshot(), (s) => void (shown = s));
    const sizes: number[] = [];
    core.app.subscribe((delta) => {
      sizes.push(wireSize(delta));
      follower.receive(delta);
    });
    follower.start();
    await expect.poll(() => shown?.connections.length).toBe(N);
    const before = new Map(shown!.connections.map((c) => [c.id, c.nextRunAt]));

    // Eight hours asleep: every connection is overdue; the resume re-plans them all, staggered.
    clock.sleep(8 * HOUR);
    // The resume's own turn re-plans one chunk; the rest follow on later turns (scheduler.ts).
    let placedInResume = 0;
    const untouch = core.keepAlive.onTouched(() => placedInResume++);
    core.keepAlive.resumed();
    untouch();
    expect(placedInResume).toBe(STAGGER_CHUNK);
    clock.advance(FEED_COALESCE_MS);
    // The rest of the change follows delta by delta, each on the next turn of the clock.
    for (let sent = -1; sent !== sizes.length; ) {
      sent = sizes.length;
      clock.advance(0);
    }

    expect(sizes.length).toBeGreaterThan(50);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50 * 1024);
    const after = shown as Snapshot | null;
    expect(after!.connections).toHaveLength(N);
    for (const view of after!.connections) {
      expect(view.nextRunAt).toBe(core.keepAlive.nextRunAt(view.id));
      expect(view.nextRunAt).not.toBe(before.get(view.id));
    }
    expect(after).toEqual(core.app.snapshot());
    core.keepAlive.stop();
    core.stateStore.close();
  }, 180_000);
});
