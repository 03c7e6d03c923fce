/**
 * Startup on a real read-only disk (a tmpfs remounted read-only): the state database cannot be
 * written, so the app waits, says why in the words the tray shows, and opens once the disk is
 * writable again, with nothing lost.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { systemClock } from '../../main/adapters/system-clock.js';
import { openStateStoreWhenFree } from '../../main/core/state-database/open-when-free.js';
import type { StorageFailureKind } from '../../main/core/state-database/storage-failure.js';
import { stateDatabaseWaitingLine } from '../../shared/state-words.js';
import { createMemoryLogger } from '../support/memory-logger.js';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk.js';

let disk: SmallDisk | undefined;
afterEach(() => {
  disk?.unmount();
  disk = undefined;
});

it('a read-only disk at startup: the app waits, the tray’s words name the read-only disk, and it opens whole once the disk is writable', async () => {
  disk = mountSmallDisk();
  const path = join(disk.dir, 'state.db');
  const first = createSqliteStateStore(path);
  first.saveConnections([{ id: 'a', record: { n: 1 } }], []);
  await first.close();
  disk.readOnly();
  const waiting: StorageFailureKind[] = [];
  const logger = createMemoryLogger();
  const opening = openStateStoreWhenFree(() => createSqliteStateStore(path), { clock: systemClock, logger, quietForMs: 300, onWaiting: (problem) => waiting.push(problem) });
  await expect.poll(() => waiting, { timeout: 20_000 }).toEqual(['read-only']);
  expect(stateDatabaseWaitingLine(waiting[0]!)).toBe('Starting: the disk is read-only, so the state database cannot be opened; retrying');
  disk.writable();
  const store = await opening;
  expect(store.loadConnections()).toEqual([{ id: 'a', record: { n: 1 } }]);
  expect(logger.lines.map((l) => l.message)).toEqual(['state: the state database cannot be opened yet; retrying', 'state: the state database opened after waiting']);
  await store.close();
});
