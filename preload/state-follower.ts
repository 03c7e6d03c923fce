/**
 * A window's copy of the app state, kept by main's deltas (`state:changed`): the whole state is
 * fetched once, then each numbered delta replaces only the views that changed. Unchanged rows keep
 * their objects (===), so memoized rows skip rendering. A missed delta (a gap in `seq`) fetches
 * the whole state again; deltas arriving meanwhile are applied after it. Pure: no React, no IPC.
 */
import type { Snapshot, StateDelta } from './contract.js';

/** The next state, or 'refetch' when a change between the two was missed. */
export function applyDelta(current: Snapshot, delta: StateDelta): Snapshot | 'refetch' {
  // Already included (a delta sent before the snapshot was taken).
  if (delta.seq < current.seq || (delta.seq === current.seq && !delta.reset)) return current;
  if (delta.reset) return delta.header ? { ...delta.header, seq: delta.seq, connections: delta.upserts } : 'refetch';
  if (delta.seq !== current.seq + 1) return 'refetch';
  let connections = current.connections;
  if (delta.upserts.length || delta.removals.length) {
    const changed = new Map(delta.upserts.map((view) => [view.id, view]));
    const gone = new Set(delta.removals);
    const next: Snapshot['connections'] = [];
    for (const view of connections) {
      if (gone.has(view.id)) continue;
      next.push(changed.get(view.id) ?? view);
      changed.delete(view.id);
    }
    // New connections come last, as in main's order.
    next.push(...changed.values());
    connections = next;
  }
  return { ...current, ...delta.header, seq: delta.seq, connections };
}

export function createStateFollower(fetchWhole: () => Promise<Snapshot>, show: (snapshot: Snapshot) => void) {
  let current: Snapshot | null = null;
  /** Deltas held while the whole state is being fetched (null when not fetching). */
  let held: StateDelta[] | null = null;

  function apply(delta: StateDelta): boolean {
    if (!current) return false;
    const next = applyDelta(current, delta);
    if (next === 'refetch') return false;
    current = next;
    return true;
  }

  function fetch(): void {
    if (held) return;
    held = [];
    fetchWhole().then(
      (whole) => {
        const waiting = held ?? [];
        held = null;
        if (!current || whole.seq >= current.seq) current = whole;
        for (const delta of waiting) if (!apply(delta)) return fetch();
        show(current);
      },
      () => {
        // Main refused or failed: the window says so elsewhere; the next delta tries again.
        held = null;
      },
    );
  }

  return {
    /** Fetches the whole state (the window just opened). */
    start: fetch,
    receive(delta: StateDelta): void {
      if (held && !delta.reset) {
        held.push(delta);
        return;
      }
      const before = current;
      if (!apply(delta)) {
        if (delta.reset && delta.header) current = { ...delta.header, seq: delta.seq, connections: delta.upserts };
        else return fetch();
      }
      if (current && current !== before) show(current);
    },
    current: () => current,
  };
}
