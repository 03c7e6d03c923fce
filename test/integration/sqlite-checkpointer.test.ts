/** The state database's log is checkpointed on a worker thread, so the main thread never copies pages back or syncs the file. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_AFTER_MS, startCheckpointer } from '../../main/adapters/sqlite-checkpointer.js';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createFakeClock } from '../support/fake-clock.js';
import { storedConnections } from '../support/state-db.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-checkpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
/** The log's checkpoint sequence and salts (header bytes 12–23): they change only when a write starts the log over. */
const logGeneration = (path: string) => readFileSync(`${path}-wal`).subarray(12, 24).toString('hex');
const MIN = 60_000;

describe('checkpoints on a worker thread', () => {
  it('pages reach the database file while the store is open: the worker copied them (the main connection never checkpoints)', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path);
    // Each its own row (≈ 1 MB of rows): fewer than would make the main thread step in.
    const commits = 1_500;
    for (let i = 0; i < commits; i++) store.saveConnections([{ id: `c${i}`, record: { padding: 'x'.repeat(700), i } }], []);
    // Synchronous so far: no checkpoint could be asked for, and the main connection did none.
    expect(size(path)).toBeLessThan(100_000);
    await expect.poll(() => size(path), { timeout: 10_000 }).toBeGreaterThan(800_000);
    expect(storedConnections(path)).toHaveLength(commits);
    await store.close();
  });

  it('after a burst the log is copied in full and, at the next write, starts over cut back to 4 MB', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path);
    const commits = 1_500;
    for (let i = 0; i < commits; i++) store.saveConnections([{ id: `c${i}`, record: { padding: 'x'.repeat(700), i } }], []);
    expect(size(`${path}-wal`)).toBeGreaterThan(8_000_000);
    // The burst's pages all reach the file once the writes pause.
    await expect.poll(() => size(path), { timeout: 30_000 }).toBeGreaterThan(1_100_000);
    // The worker starts the log over once a checkpoint copied all of it, cutting it back (no write
    // in between: a write during a checkpoint leaves it incomplete, and another follows a second later).
    await expect.poll(() => size(`${path}-wal`), { timeout: 30_000 }).toBeLessThanOrEqual(4_194_304);
    store.saveConnections([{ id: 'next', record: {} }], []);
    expect(size(`${path}-wal`)).toBeLessThanOrEqual(4_194_304);
    await store.close();
  });

  it('never keeps the process alive: a script that used the store ends by itself, its routine write committed', () => {
    const path = join(dir, 'state.db');
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/open-store-and-end.ts', path], { encoding: 'utf8', timeout: 20_000 });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(storedConnections(path)).toEqual([{ n: 2 }]);
  });

  it('a checkpoint follows the log’s growth, or a few minutes at a slow pace, never each commit', async () => {
    const path = join(dir, 'state.db');
    const clock = createFakeClock();
    const store = createSqliteStateStore(path, { checkpoint: { afterCommits: 20, withinMs: 10 * MIN, setTimer: clock.setTimer } });
    const write = (i: number) => store.saveConnections([{ id: `c${i % 5}`, record: { padding: 'x'.repeat(700), i } }], []);
    for (let i = 0; i < 19; i++) write(i);
    // Nineteen commits: the one timer armed is the slow pace's, ten minutes from the first.
    expect(clock.nextTimerAt()).toBe(10 * MIN);
    const before = size(path);
    // The twentieth: the log has grown, a checkpoint a second later copies it back (the row pages, once).
    write(19);
    expect(clock.nextTimerAt()).toBe(CHECKPOINT_AFTER_MS);
    clock.advance(CHECKPOINT_AFTER_MS);
    await expect.poll(() => size(path), { timeout: 10_000 }).toBeGreaterThan(before);
    await expect.poll(() => clock.pendingTimers(), { timeout: 10_000 }).toBe(0);
    // The checkpoint's answer is in (until then a commit waits for it rather than arming a timer).
    await store.checkpointSettled();
    // At a slow pace, one commit waits for the bound, then goes.
    const copied = size(path);
    store.saveConnections([{ id: 'late', record: { padding: 'y'.repeat(5000) } }], []);
    expect(clock.nextTimerAt()).toBe(CHECKPOINT_AFTER_MS + 10 * MIN);
    clock.advance(10 * MIN - 1);
    expect(size(path)).toBe(copied);
    clock.advance(1);
    await expect.poll(() => size(path), { timeout: 10_000 }).toBeGreaterThan(copied);
    expect(storedConnections(path)).toHaveLength(6);
    store.close();
  });

  it('the worker starts the log over itself after a complete checkpoint: a write on the main thread never does (nor syncs its header)', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path, { checkpoint: { setTimer: createFakeClock().setTimer } });
    for (let i = 0; i < 50; i++) store.saveConnections([{ id: `c${i}`, record: { i } }], []);
    const generation = logGeneration(path);
    expect(await store.checkpointNow()).toMatchObject({ busy: 0, restarted: true });
    const restarted = logGeneration(path);
    expect(restarted).not.toBe(generation);
    // The main thread's writes append to the log the worker started: its header stays as the worker wrote it.
    for (let i = 0; i < 10; i++) store.saveConnections([{ id: `c${i}`, record: { i, again: true } }], []);
    expect(logGeneration(path)).toBe(restarted);
    expect(storedConnections(path)).toHaveLength(50);
    store.close();
  });

  it('routine writes made while a checkpoint is in flight wait in memory for its answer, so the worker, not they, starts the log over', async () => {
    const path = join(dir, 'state.db');
    const clock = createFakeClock();
    const store = createSqliteStateStore(path, { setTimer: clock.setTimer, commitWithinMs: 10_000, checkpoint: { afterCommits: 20 } });
    for (let i = 0; i < 50; i++) store.saveConnections([{ id: `c${i}`, record: { i } }], []);
    const generation = logGeneration(path);
    // A routine write waiting for its commit window is committed just before the checkpoint the log's growth asks for.
    store.saveConnections([{ id: 'c0', record: { i: 0, verified: 1 } }], [], { routine: true });
    expect(clock.nextTimerAt()).toBe(CHECKPOINT_AFTER_MS);
    clock.advance(CHECKPOINT_AFTER_MS);
    expect(storedConnections(path)).toContainEqual({ i: 0, verified: 1 });
    const answer = store.checkpointSettled();
    // In flight (its answer cannot arrive before this synchronous block ends): routine writes, their window over, stay in memory.
    store.saveConnections([{ id: 'c1', record: { i: 1, verified: 2 } }], [], { routine: true });
    store.appendActivity({ at: 1, connectionId: 'c1', label: 'c1', kind: 'verified', from: 'healthy', to: 'healthy', message: null, repeats: 1 }, { routine: true });
    clock.advance(10_000);
    expect(storedConnections(path)).toContainEqual({ i: 1 });
    // The app reads them all the same, and reading writes nothing.
    expect(store.loadConnections()).toContainEqual({ id: 'c1', record: { i: 1, verified: 2 } });
    expect(store.recentActivity(5)).toHaveLength(1);
    // A health probe (the keeper's /healthz) finds the store writable and leaves them held.
    store.probe!();
    expect(storedConnections(path)).toContainEqual({ i: 1 });
    await answer;
    const restarted = logGeneration(path);
    expect(restarted).not.toBe(generation);
    // The answer lets them go: committed after the worker's restart write, into the log it started.
    await expect.poll(() => storedConnections(path), { timeout: 10_000 }).toContainEqual({ i: 1, verified: 2 });
    expect(logGeneration(path)).toBe(restarted);
    store.close();
  });

  it('a checkpoint answers with what it copied', async () => {
    const path = join(dir, 'state.db');
    const store = createSqliteStateStore(path);
    store.saveConnections([{ id: 'a', record: { n: 1 } }], []);
    const checkpointer = startCheckpointer(path, () => undefined);
    expect(await checkpointer.checkpointNow()).toMatchObject({ busy: 0 });
    const row = await checkpointer.checkpointNow();
    expect(row['log']).toBe(row['checkpointed']);
    checkpointer.stop();
    await store.close();
  });

  it('when the worker cannot open the database, checkpoints go back to the main thread', async () => {
    let fellBack = 0;
    const checkpointer = startCheckpointer(join(dir, 'no-such-folder', 'state.db'), () => fellBack++);
    await expect(checkpointer.checkpointNow()).rejects.toThrow(/not running/);
    expect(fellBack).toBe(1);
    await expect(checkpointer.checkpointNow()).rejects.toThrow(/not running/);
    expect(fellBack).toBe(1);
  });
});
