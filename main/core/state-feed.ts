/**
 * What the windows and the tray are told, at a cost flat in the number of connections: changes
 * mark connections dirty, and one flush (a moment later, or at once when asked) recomputes only
 * their views and sends a numbered delta (changed views, removed ids, the header when it changed).
 * The full snapshot is built only when a window asks for it. See README.md ("State to windows").
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
}

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

  /** Sends what changed since the last flush; nothing when nothing did. */
  function flush(): void {
    flushQueued = false;
    const upserts: ConnectionView[] = [];
    const removals: string[] = [];
    if (allDirty) {
      const present = new Set<string>();
      for (const record of deps.records()) {
        present.add(record.id);
        refreshView(record.id, upserts, removals);
      }
      for (const id of [...cache.ids()]) if (!present.has(id)) refreshView(id, upserts, removals);
    } else for (const id of dirty) refreshView(id, upserts, removals);
    dirty.clear();
    allDirty = false;
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
    flush,
    /** The whole state, as `state:get` answers (every change up to `seq` included). */
    snapshot(): Snapshot {
      flush();
      return { seq, ...header, connections: cache.all() };
    },
    /** The whole state as one event, for a window shown again (it was sent nothing while hidden). */
    full(): StateDelta {
      flush();
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
