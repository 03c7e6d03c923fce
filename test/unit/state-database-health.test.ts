import { describe, expect, it } from 'vitest';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import { createStateDatabaseHealth, LOCK_NOTICE_AFTER_MS } from '../../main/core/state-database/health.js';
import { openStateStoreWhenFree } from '../../main/core/state-database/open-when-free.js';
import { StorageFailure, type StorageFailureKind } from '../../main/core/state-database/storage-failure.js';
import type { StateStore } from '../../main/core/ports.js';
import { createFakeClock } from '../support/fake-clock.js';
import { createMemoryLogger } from '../support/memory-logger.js';

function health(newer = false) {
  const clock = createFakeClock();
  const logger = createMemoryLogger();
  const notices: Notice[] = [];
  const changes: Array<StorageFailureKind | null> = [];
  const h = createStateDatabaseHealth({ clock, logger, notify: (n) => notices.push(n), newer });
  h.onChange(() => changes.push(h.current()?.problem ?? null));
  return { h, clock, logger, notices, changes };
}

describe('state database health', () => {
  it('a refused write is shown and told once per problem, however many writes fail; the first write that lands ends it, said once', () => {
    const { h, clock, logger, notices, changes } = health();
    for (let i = 0; i < 5; i++) h.failed('full');
    expect(h.current()).toEqual({ problem: 'full', since: clock.now() });
    expect(notices).toEqual([expect.objectContaining({ title: 'Data2CRM Tray cannot save its state', body: 'The disk is full, so changes are not saved; retrying.', openSettings: true })]);
    h.succeeded();
    h.succeeded();
    expect(h.current()).toBeNull();
    expect(changes).toEqual(['full', null]);
    expect(logger.lines.map((l) => l.message)).toEqual(['state: the state database refuses writes; changes stay in memory and are tried again', 'state: the state database takes writes again']);
  });

  it('the same problem back within the hour is shown again but not notified again; another problem is', () => {
    const { h, clock, notices } = health();
    h.failed('full');
    h.succeeded();
    clock.advance(10 * 60_000);
    h.failed('full');
    expect(h.current()?.problem).toBe('full');
    h.failed('read-only');
    expect(notices.map((n) => n.body)).toEqual(['The disk is full, so changes are not saved; retrying.', 'The disk is read-only, so changes are not saved; retrying.']);
    h.succeeded();
    clock.advance(61 * 60_000);
    h.failed('full');
    expect(notices).toHaveLength(3);
  });

  it('another program’s lock is shown at once but notified only when it has lasted a minute', () => {
    const { h, clock, notices } = health();
    h.failed('locked');
    expect(h.current()?.problem).toBe('locked');
    clock.advance(LOCK_NOTICE_AFTER_MS - 1);
    h.succeeded();
    clock.advance(LOCK_NOTICE_AFTER_MS);
    expect(notices).toEqual([]);
    h.failed('locked');
    clock.advance(LOCK_NOTICE_AFTER_MS);
    expect(notices).toEqual([expect.objectContaining({ body: 'Another program is using the state database; retrying.' })]);
  });

  it('a newer version’s database is the state for the whole session: told once at start, never ended by a write', () => {
    const { h, notices, logger } = health(true);
    expect(h.current()?.problem).toBe('newer');
    h.start();
    h.succeeded();
    h.failed('full');
    expect(h.current()?.problem).toBe('newer');
    expect(notices).toEqual([expect.objectContaining({ title: 'Data2CRM Tray needs an update', body: 'The state database was made by a newer version of Data2CRM Tray; update the app.' })]);
    expect(logger.lines).toHaveLength(1);
  });
});

describe('opening the state database at startup', () => {
  const store = {} as StateStore;
  it('waits while the database refuses; shows why only once the wait is longer than a quiet moment, and again when the reason changes', async () => {
    const clock = createFakeClock();
    const refusals: StorageFailureKind[] = ['locked', 'locked', 'locked', 'locked', 'locked', 'full'];
    const shown: StorageFailureKind[] = [];
    const opened = openStateStoreWhenFree(
      () => {
        const next = refusals.shift();
        if (next) throw new StorageFailure(next, 'state database', 'test');
        return store;
      },
      { clock, logger: createMemoryLogger(), quietForMs: 1_000, onWaiting: (p) => shown.push(p) },
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 10 && refusals.length; i++) {
      await settle();
      clock.advance(2_000);
    }
    await expect(opened).resolves.toBe(store);
    expect(shown).toEqual(['locked', 'full']);
  });

  it('a lock that ends within the quiet moment is never shown', async () => {
    const clock = createFakeClock();
    let refusals = 2;
    const shown: StorageFailureKind[] = [];
    const opened = openStateStoreWhenFree(
      () => {
        if (refusals-- > 0) throw new StorageFailure('locked', 'state database', 'test');
        return store;
      },
      { clock, logger: createMemoryLogger(), onWaiting: (p) => shown.push(p) },
    );
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(1_000);
    }
    await expect(opened).resolves.toBe(store);
    expect(shown).toEqual([]);
  });

  it('what is not a refusal of the database (a bug) is not retried', async () => {
    await expect(openStateStoreWhenFree(() => {
      throw new TypeError('a bug');
    }, { clock: createFakeClock(), logger: createMemoryLogger() })).rejects.toThrow('a bug');
  });
});
