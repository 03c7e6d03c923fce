/**
 * What the windows and the tray are told, at a cost flat in the number of connections: changes
 * mark connections dirty, and one flush (a moment later, or at once when asked) recomputes only
 * their views and sends a numbered delta (changed views, removed ids, the header when it changed).
 * A delta carries at most DELTA_MAX_BYTES of views: when many change at once (a resume re-plans
 * every connection's next run), the rest follow in further deltas a moment apart, so no message
 * and no flush grows with the number of connections. The full snapshot is built only when a
 * window asks for it.
 */
import type { ConnectionView, OrphanView, Snapshot, StateDelta, StateHeader } from '../../preload/contract.js';
import type { StatusCounts } from './app-summary.js';
import { createViewCache } from './connection-views.js';
import type { ConnectionRecord } from './settings/schema.js';

export interface StateFeedDeps {
  readonly record: (id: string) => ConnectionRecord | undefined;
  /** Every record in order: read at start and when every view must be recomputed (a settings change). */
  readonly records: () => Iterable<ConnectionRecord>;
  readonly view: (record: ConnectionRecord) => ConnectionView;
  /** The header without the orphans' list, from the kept counts (cheap). */
  readonly globals: (counts: StatusCounts, orphans: number) => Omit<StateHeader, 'orphans'>;
  /** Keychain entries without a record: walks every entry, so asked only when they may have changed. */
  readonly orphans: () => OrphanView[];
  /** Runs the flush a moment later (the clock's zero timer): a check's record, busy flag and next run go out as one delta. */
  readonly defer?: (fire: () => void) => void;
  /** Runs the next part of a flush that was too large for one delta (soon, after other work had its turn). */
  readonly soon?: (fire: () => void) => void;
}

/** Views per delta, serialized (UTF-8): a window and IPC never handle one message larger than this (the header comes on top). */
export const DELTA_MAX_BYTES = 48 * 1024;
/** Connections looked at per flush at most (a settings change looks at every one; most views come back unchanged). */
const FLUSH_MAX_VIEWS = 1_000;
const viewBytes = (view: ConnectionView) => Buffer.byteLength(JSON.stringify(view));

export function createStateFeed(deps: StateFeedDeps) {
  const cache = createViewCache();
  const listeners = new Set<(delta: StateDelta) => void>();
  const dirty = new Set<string>();
  let allDirty = false;
  let orphansDirty = false;
  let flushQueued = false;
  let seq = 0;
  for (const record of deps.records()) cache.put(deps.view(record));
  let orphans = deps.orphans();
  let header: StateHeader = { ...deps.globals(cache.counts(), orphans.length), orphans };
  let headerJson = JSON.stringify(header);

  function refreshView(id: string, upserts: ConnectionView[], removals: string[]): void {
    const record = deps.record(id);
    if (!record) {
      if (cache.remove(id)) removals.push(id);
      return;
    }
    const isNew = cache.get(id) === undefined;
    const changed = cache.put(deps.view(record));
    if (changed) upserts.push(changed);
    // A connection came or went: an orphan may have become one's entry (or the reverse).
    if (isNew) orphansDirty = true;
  }

  /** Sends what changed since the last flush, up to a delta's size (the rest soon after); nothing when nothing did. */
  function flush(): void {
    flushQueued = false;
    const upserts: ConnectionView[] = [];
    const removals: string[] = [];
    if (allDirty) {
      // Every view is looked at again, in order: those gone too (their removal).
      for (const record of deps.records()) dirty.add(record.id);
      for (const id of cache.ids()) dirty.add(id);
      allDirty = false;
    }
    let bytes = 0;
    let looked = 0;
    for (const id of dirty) {
      if (bytes >= DELTA_MAX_BYTES || looked >= FLUSH_MAX_VIEWS) break;
      dirty.delete(id);
      looked++;
      const before = upserts.length;
      refreshView(id, upserts, removals);
      if (upserts.length > before) bytes += viewBytes(upserts[before]!);
    }
    if (dirty.size) continueSoon();
    if (removals.length) orphansDirty = true;
    let globals = deps.globals(cache.counts(), orphans.length);
    // A keychain that could not list, and now can, may hold entries without a record.
    if (orphansDirty || globals.storage.detail !== header.storage.detail) {
      const before = orphans.length;
      orphans = deps.orphans();
      if (orphans.length !== before) globals = deps.globals(cache.counts(), orphans.length);
    }
    orphansDirty = false;
    const nextHeader = { ...globals, orphans };
    const nextJson = JSON.stringify(nextHeader);
    const headerChanged = nextJson !== headerJson;
    if (!upserts.length && !removals.length && !headerChanged) return;
    header = nextHeader;
    headerJson = nextJson;
    const delta: StateDelta = { seq: ++seq, ...(headerChanged ? { header } : {}), upserts, removals };
    for (const listener of listeners) listener(delta);
  }

  function later(): void {
    if (flushQueued) return;
    flushQueued = true;
    // Changes made in one turn (a check's record, its busy flag, its next run) go out together.
    (deps.defer ?? queueMicrotask)(() => flushQueued && flush());
  }

  /** The next part of a large change, after other work had its turn. */
  function continueSoon(): void {
    if (flushQueued) return;
    flushQueued = true;
    (deps.soon ?? deps.defer ?? queueMicrotask)(() => flushQueued && flush());
  }

  /** Everything that waits, sent now (in as many deltas as it takes). */
  function flushAll(): void {
    do flush();
    while (dirty.size);
  }

  return {
    /** These connections may have changed: sent with the next flush (a moment later). */
    touch(ids: Iterable<string>): void {
      for (const id of ids) dirty.add(id);
      later();
    },
    /**
     * Something the user did, or an app-wide state, changed: the header (and the orphans) are
     * looked at again, with the given connections, or every view after a settings change ('all').
     * Sent at once.
     */
    changed(scope: readonly string[] | 'all' = []): void {
      orphansDirty = true;
      if (scope === 'all') allDirty = true;
      else for (const id of scope) dirty.add(id);
      flush();
    },
    flush: flushAll,
    /** The whole state, as `state:get` answers (every change up to `seq` included). */
    snapshot(): Snapshot {
      flushAll();
      return { seq, ...header, connections: cache.all() };
    },
    /** The whole state as one event, for a window shown again (it was sent nothing while hidden). */
    full(): StateDelta {
      flushAll();
      return { seq, reset: true, header, upserts: cache.all(), removals: [] };
    },
    header: () => header,
    counts: () => cache.counts(),
    mostUrgent: (limit: number) => cache.mostUrgent(limit),
    subscribe(listener: (delta: StateDelta) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type StateFeed = ReturnType<typeof createStateFeed>;
