/**
 * The activity log: redacted, append-only in the state store (one row per event, never a file
 * rewrite), kept 30 days. Routine renewals of a connection coalesce into one row (with a repeat
 * count) until something else happens to it. The newest entries are held in memory for the window.
 * Besides keep-alive's events it holds what the user did to a connection (connect, re-authorize,
 * new tokens, register again, rename, disconnect), written by the app service.
 */
import type { SettingsFile, StateStore, StoredActivity } from '../ports.js';
import { redactText } from '../redact.js';
import type { ConnectionEvent } from './events.js';

/** What the user did to a connection (the app service records it when it succeeded). */
export type UserActionKind = 'connected' | 'reauthorized' | 'tokens-updated' | 'registered-again' | 'renamed' | 'disconnected' | 'handed-over' | 'received' | 'handover-cancelled';

export interface ActivityEntry {
  readonly at: number;
  readonly connectionId: string;
  readonly label: string;
  /** A notice concerns the app, not one connection (its connectionId is empty). */
  readonly kind: ConnectionEvent['kind'] | UserActionKind | 'notice';
  readonly from: string;
  readonly to: string;
  readonly message: string | null;
  /** Routine renewals this row stands for (coalesced). */
  readonly repeats: number;
}

export interface UserAction {
  readonly kind: UserActionKind;
  readonly connectionId: string;
  readonly label: string;
  /** The connection's state after the action. */
  readonly status: string;
  /** Plain words, never a secret (a rename's former name, how it was connected). */
  readonly detail?: string;
}

export const ACTIVITY_RETENTION_MS = 30 * 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 3600 * 1000;
/** A day at most per coalesced row, so a row is never pruned while renewals still add to it. */
const COALESCE_WITHIN_MS = 24 * 3600 * 1000;
/**
 * A coalesced row is written again at most this often: each rewrite moves its time in the `at`
 * index, three pages where the check's own record is one. Meanwhile its newest count waits in
 * memory, written when something else happens to the connection and at flush() (quitting): a
 * crash can lose the count and time of the last hours' routine renewals, never a row.
 */
export const COALESCED_WRITE_EVERY_MS = 6 * 3600 * 1000;

const isRoutine = (e: { kind: string; from: string; to: string }) => e.kind === 'renewed' && e.to === 'healthy' && (e.from === 'healthy' || e.from === 'refreshing');

/** Entries of the JSON activity file that earlier versions wrote, imported once. */
function legacyEntries(file: SettingsFile | undefined): ActivityEntry[] {
  const read = file?.read();
  if (!read?.ok || !read.data || typeof read.data !== 'object') return [];
  const entries = (read.data as { entries?: unknown }).entries;
  return Array.isArray(entries) ? (entries as ActivityEntry[]) : [];
}

export function createActivityLog(state: StateStore, now: () => number, options: { max?: number; legacyFile?: SettingsFile; redact?: <T>(value: T) => T } = {}) {
  const max = options.max ?? 500;
  const redact = options.redact ?? (<T>(value: T) => value);
  const listeners = new Set<(entry: ActivityEntry) => void>();
  const view = ({ at, connectionId, label, kind, from, to, message, repeats }: StoredActivity): ActivityEntry => ({ at, connectionId, label, kind: kind as ActivityEntry['kind'], from, to, message, repeats });
  const legacy = legacyEntries(options.legacyFile);
  if (legacy.length) {
    // What the store refused (a lock, a full disk) stays in the file for the next start.
    let imported = 0;
    try {
      for (const e of legacy) {
        state.appendActivity({ ...e, repeats: 1 });
        imported += 1;
      }
    } catch {
      // The store's health says why.
    }
    options.legacyFile?.write({ entries: legacy.slice(imported) });
  }
  let lastPrune = now();
  prune(lastPrune);
  type Row = StoredActivity & { rowId: number };
  /** The newest `max` rows by row id, oldest first: a coalesced row moves to the end, the oldest leaves (each O(1), whatever N). */
  const entries = new Map<number, Row>(state.recentActivity(max).map((e) => [e.rowId, e]));
  /**
   * Each connection's newest row when it is a written routine renewal, so the next one can
   * coalesce into it: only what that takes (a whole row per connection would be ≈ 150 bytes each).
   */
  type Coalescible = { readonly rowId: number; readonly at: number; readonly repeats: number; readonly writtenAt: number; readonly unwritten: Row | null };
  const latest = new Map<string, Coalescible>();
  const remember = (row: Row, writtenAt: number, unwritten: Row | null) => {
    if (row.rowId > 0 && isRoutine(row)) latest.set(row.connectionId, { rowId: row.rowId, at: row.at, repeats: row.repeats, writtenAt, unwritten });
    else latest.delete(row.connectionId);
  };
  for (const row of entries.values()) remember(row, row.at, null);

  /** A coalesced row written again; false when the store refused it (it stays waiting in memory). */
  function rewritten(row: Row): boolean {
    try {
      state.replaceActivity(row.rowId, row, { routine: true });
      return true;
    } catch {
      // The store's health says why; only the count of routine renewals on disk lags.
      return false;
    }
  }

  /** Rows the store refused (a lock, a full disk), oldest first: shown now, written before the next row. */
  const unwritten: StoredActivity[] = [];
  /** Row ids for unwritten rows: negative, never the store's. */
  let provisional = 0;

  /** The row's id in the store, or a provisional one while the store refuses it (the health tells the user). */
  function written(entry: StoredActivity, routine: boolean): number {
    try {
      while (unwritten.length) {
        state.appendActivity(unwritten[0]!);
        unwritten.shift();
      }
      return state.appendActivity(entry, { routine });
    } catch {
      unwritten.push(entry);
      if (unwritten.length > max) unwritten.shift();
      return --provisional;
    }
  }

  /** Old rows go; a refused prune is tried again an hour later. */
  function prune(at: number): void {
    try {
      state.pruneActivity(at - ACTIVITY_RETENTION_MS);
    } catch {
      // The store's health says why; nothing is lost by pruning later.
    }
  }

  /** A row written: kept among the newest and shown to subscribers. */
  function kept(row: Row): void {
    entries.delete(row.rowId);
    entries.set(row.rowId, row);
    if (entries.size > max) entries.delete(entries.keys().next().value!);
    const appended = view(row);
    for (const listener of listeners) listener(appended);
  }

  function append(event: Pick<ConnectionEvent, 'at' | 'connectionId' | 'label' | 'detail'> & { kind: ActivityEntry['kind']; from: string; to: string }): void {
    const entry: StoredActivity = redact({ at: event.at, connectionId: event.connectionId, label: redactText(event.label), kind: event.kind, from: event.from, to: event.to, message: event.detail === null ? null : redactText(event.detail), repeats: 1 });
    const previous = latest.get(event.connectionId);
    let row: Row;
    // A row still waiting to be written is not coalesced into: it has no row to rewrite yet.
    if (previous && isRoutine(entry) && event.at - previous.at < COALESCE_WITHIN_MS) {
      row = { ...entry, repeats: previous.repeats + 1, rowId: previous.rowId };
      if (event.at - previous.writtenAt >= COALESCED_WRITE_EVERY_MS && rewritten(row)) remember(row, event.at, null);
      else remember(row, previous.writtenAt, row);
    } else {
      // The row this one ends is final: its count is written first.
      if (previous?.unwritten) rewritten(previous.unwritten);
      row = { ...entry, rowId: written(entry, isRoutine(entry)) };
      remember(row, event.at, null);
    }
    if (event.at - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = event.at;
      prune(lastPrune);
    }
    kept(row);
  }

  return {
    append: (event: ConnectionEvent): void => append(event),
    /** A user's action on a connection, in the log next to what keep-alive did. */
    record: (action: UserAction): void => append({ at: now(), connectionId: action.connectionId, label: action.label, kind: action.kind, from: action.status, to: action.status, detail: action.detail ?? null }),
    entries: (): readonly ActivityEntry[] => Array.from(entries.values(), view),
    /** Writes every coalesced count still waiting in memory (before quitting). */
    flush(): void {
      for (const coalesced of latest.values()) if (coalesced.unwritten && rewritten(coalesced.unwritten)) remember(coalesced.unwritten, coalesced.unwritten.at, null);
    },
    /** Each new (or coalesced) row as it is written, so an open window can show it. */
    subscribe(listener: (entry: ActivityEntry) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /**
     * Something that happened to the app as a whole, in the core's own words (no server text, no
     * secret; not pattern-redacted, which would hide a file name the user may need).
     */
    notice(at: number, message: string): void {
      const entry: StoredActivity = { at, connectionId: '', label: 'Data2CRM Tray', kind: 'notice', from: '', to: '', message, repeats: 1 };
      kept({ ...entry, rowId: written(entry, false) });
    },
  };
}

export type ActivityLog = ReturnType<typeof createActivityLog>;
