/** The state database's log is checkpointed on a worker thread, so the main thread never copies pages back or syncs the file. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../main/adapters/sqlite-checkpointer.js';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { storedConnections } from '../support/state-db.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-checkpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

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
    await expect.poll(() => size(path), { timeout: 10_000 }).toBeGreaterThan(1_100_000);
    await expect.poll(() => (store.saveConnections([{ id: 'next', record: {} }], []), size(`${path}-wal`)), { timeout: 10_000 }).toBeLessThanOrEqual(4_194_304);
    await store.close();
  });

  it('never keeps the process alive: a script that used the store ends by itself, its routine write committed', () => {
    const path = join(dir, 'state.db');
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/open-store-and-end.ts', path], { encoding: 'utf8', timeout: 20_000 });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(storedConnections(path)).toEqual([{ n: 2 }]);
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
