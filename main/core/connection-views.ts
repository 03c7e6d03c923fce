/**
 * The views of every connection, kept one connection at a time: a changed connection's view is
 * recomputed and compared field by field (an unchanged view keeps its object, so nothing is sent
 * and memoized rows skip rendering), the summary's counts move with it, and the tray's most
 * urgent rows are picked without walking all N. Order is the connections' order (insertion).
 */
import type { ConnectionView } from '../../preload/contract.js';
import { countConnection, urgencyOfConnection, type StatusCounts } from './app-summary.js';

/** The one nested field: who keeps it (a small object of primitives), compared by its fields. */
const sameKeptBy = (a: ConnectionView['keptBy'], b: ConnectionView['keptBy']) => a === b || (!!a && !!b && a.keeper === b.keeper && a.pending === b.pending && a.since === b.since && a.stalled === b.stalled && a.handoverId === b.handoverId);

/** Views are flat (primitives, and keptBy's few): equal fields mean an equal view. */
function sameView(a: ConnectionView, b: ConnectionView): boolean {
  for (const key of Object.keys(b) as Array<keyof ConnectionView>) if (key === 'keptBy' ? !sameKeptBy(a.keptBy, b.keptBy) : a[key] !== b[key]) return false;
  return Object.keys(a).length === Object.keys(b).length;
}

const urgencyOf = (view: ConnectionView) => urgencyOfConnection(view);

export function createViewCache() {
  const views = new Map<string, ConnectionView>();
  /** Insertion position, to keep a group's rows in the connections' order. */
  const position = new Map<string, number>();
  let nextPosition = 0;
  const urgent: [Set<string>, Set<string>] = [new Set(), new Set()];
  const counts = { needUser: 0, warn: 0, busy: 0 };
  let list: ConnectionView[] | null = null;

  function leave(view: ConnectionView): void {
    countConnection(counts, view, -1);
    const urgency = urgencyOf(view);
    if (urgency < 2) urgent[urgency as 0 | 1].delete(view.id);
  }

  function enter(view: ConnectionView): void {
    countConnection(counts, view, 1);
    const urgency = urgencyOf(view);
    if (urgency < 2) urgent[urgency as 0 | 1].add(view.id);
  }

  /** The first `limit` ids of one group in the connections' order. */
  function firstOf(group: 0 | 1 | 2, limit: number): string[] {
    if (limit <= 0) return [];
    const members = group < 2 ? urgent[group as 0 | 1] : null;
    // A small group is sorted by position; a large one (or the rest) is read in order until full.
    if (members && members.size <= 4 * limit) return [...members].sort((a, b) => position.get(a)! - position.get(b)!).slice(0, limit);
    const picked: string[] = [];
    for (const view of views.values()) {
      if (picked.length >= limit) break;
      if (urgencyOf(view) === group) picked.push(view.id);
    }
    return picked;
  }

  return {
    /** Stores the view; returns it when it differs from the one held, null when nothing changed. */
    put(view: ConnectionView): ConnectionView | null {
      const held = views.get(view.id);
      if (held && sameView(held, view)) return null;
      if (held) leave(held);
      else position.set(view.id, nextPosition++);
      views.set(view.id, view);
      enter(view);
      list = null;
      return view;
    },
    /** True when the id was held. */
    remove(id: string): boolean {
      const held = views.get(id);
      if (!held) return false;
      leave(held);
      views.delete(id);
      position.delete(id);
      list = null;
      return true;
    },
    get: (id: string) => views.get(id),
    ids: () => views.keys(),
    /** Every view in order (built when first asked after a change: the full snapshot only). */
    all: (): ConnectionView[] => (list ??= [...views.values()]),
    counts: (): StatusCounts => ({ count: views.size, ...counts }),
    /** Those needing the user first, then those with a problem, then the rest; at most `limit`. */
    mostUrgent(limit: number): ConnectionView[] {
      const ids: string[] = [];
      for (const group of [0, 1, 2] as const) ids.push(...firstOf(group, limit - ids.length));
      return ids.map((id) => views.get(id)!);
    },
  };
}

export type ViewCache = ReturnType<typeof createViewCache>;
