/** The one-line state the tray shows, from the connections, the storage health and the global states. */
import type { StorageProblem } from '../../preload/contract.js';
import { clockTime, DAMAGED_DATABASE, stateDatabaseLine } from '../../shared/state-words.js';
import type { AppStatus } from './app-status.js';
import { NEEDS_USER } from './keepalive/events.js';
import type { StorageStatus } from './secrets/choose-secret-store.js';
import type { ConnectionRecord, ConnectionStatus } from './settings/schema.js';

const BUSY: ReadonlySet<ConnectionStatus> = new Set(['connecting', 'refreshing', 'disconnecting']);
/** A problem the app is still working on (the tray lists these right after those needing the user). */
export const WARN: ReadonlySet<ConnectionStatus> = new Set(['retrying', 'degraded', 'refused-for-now']);

/** 0: the user must act; 1: a problem the app is working on; 2: the rest (the tray's and the views' order). */
export const urgencyOf = (status: ConnectionStatus): 0 | 1 | 2 => (NEEDS_USER.has(status) ? 0 : WARN.has(status) ? 1 : 2);

/** What a connection's keeper changes: one a keeper renews is none of this app's trouble, unless its hand-over stalled (then the user must act). */
type Kept = { readonly keptBy?: { readonly stalled?: boolean | undefined } | null | undefined };

/** The urgency of a connection as the tray and the header count it (a stalled hand-over needs the user). */
export const urgencyOfConnection = (c: { readonly status: ConnectionStatus } & Kept): 0 | 1 | 2 => (c.keptBy ? (c.keptBy.stalled ? 0 : 2) : urgencyOf(c.status));

export interface GlobalStates {
  /** Data2CRM refuses the user key: nothing is kept alive. */
  readonly serviceKeyRejected?: boolean;
  readonly paused?: boolean;
  /** When a timed pause ("Pause for 1 hour") ends; null or absent: until resumed. */
  readonly pausedUntil?: number | null;
  /** Startup: the keychain's listing has not ended yet; checks wait for it. */
  readonly keychainLoading?: boolean;
  /** The keychain answered the probe but not the listing: every connection waits for it. */
  readonly keychainUnlisted?: boolean;
  /** The state database could not be read at start and was set aside (this session). */
  readonly damagedDatabase?: boolean;
  /** Keychain entries without a connection, waiting for Recover or Delete. */
  readonly orphans?: number;
  /** The state database refuses writes (or a newer version made it): why. */
  readonly stateDatabase?: StorageProblem | null;
}

/** How many connections are in each group the summary names; kept per change by the view cache. */
export interface StatusCounts {
  readonly count: number;
  readonly needUser: number;
  readonly warn: number;
  readonly busy: number;
}

/** The groups one status counts in (+1 when it arrives, -1 when it leaves). */
/** countStatus for a view: a kept connection counts only when its hand-over stalled (as needing the user). */
export function countConnection(counts: { needUser: number; warn: number; busy: number }, c: { readonly status: ConnectionStatus } & Kept, by: 1 | -1): void {
  if (!c.keptBy) countStatus(counts, c.status, by);
  else if (c.keptBy.stalled) counts.needUser += by;
}

export function countStatus(counts: { needUser: number; warn: number; busy: number }, status: ConnectionStatus, by: 1 | -1): void {
  if (NEEDS_USER.has(status)) counts.needUser += by;
  if (WARN.has(status)) counts.warn += by;
  if (BUSY.has(status)) counts.busy += by;
}

export function summarize(connections: readonly Pick<ConnectionRecord, 'status'>[], storage: StorageStatus, states: GlobalStates = {}): { status: AppStatus; summary: string } {
  const counts = { count: connections.length, needUser: 0, warn: 0, busy: 0 };
  for (const c of connections) countStatus(counts, c.status, 1);
  return summarizeCounts(counts, storage, states);
}

/** The same from counts kept incrementally: constant time, whatever the number of connections. */
export function summarizeCounts({ count, needUser, warn, busy }: StatusCounts, storage: StorageStatus, states: GlobalStates = {}): { status: AppStatus; summary: string } {
  const { serviceKeyRejected = false, paused = false, pausedUntil = null, keychainLoading = false, keychainUnlisted = false, damagedDatabase = false, orphans = 0, stateDatabase = null } = states;
  const noun = count === 1 ? '1 connection' : `${count} connections`;
  const degraded = storage.kind === 'session-only' ? ' · storage degraded' : '';
  const database = stateDatabase ? `${count ? noun : 'No connections'} · ${stateDatabaseLine(stateDatabase)}` : '';
  // A newer version's database: nothing is kept alive or written until the app is updated.
  if (stateDatabase === 'newer') return { status: 'error', summary: database };
  // Nothing is kept alive while Data2CRM refuses the key: that outranks every connection's state.
  if (serviceKeyRejected) return { status: 'key-rejected', summary: `Data2CRM rejected the user key · ${count ? `${noun} not kept alive` : 'no connections'}${degraded}` };
  // Nothing is saved (a full or read-only disk, damage): the user must act, whatever each connection says.
  if (stateDatabase && stateDatabase !== 'locked') return { status: 'error', summary: database };
  if (needUser > 0) return { status: 'error', summary: `${noun} · ${needUser} need${needUser === 1 ? 's' : ''} you${degraded}` };
  // Another program's lock usually ends by itself: said, below what needs the user.
  if (stateDatabase === 'locked') return { status: 'attention', summary: database };
  // Paused by the user: its own icon and words, below what needs the user.
  if (paused && count > 0) return { status: 'paused', summary: `Paused${pausedUntil === null ? '' : ` until ${clockTime(pausedUntil)}`} · ${noun} not kept alive${degraded}` };
  if (keychainLoading) return { status: 'busy', summary: `${count ? noun : 'No connections'} · reading the keychain…` };
  if (keychainUnlisted) return { status: 'attention', summary: `${noun} · storage degraded (the keychain could not be read)` };
  if (storage.kind === 'session-only') return { status: 'attention', summary: `${count ? noun : 'No connections'} · storage degraded (tokens kept for this session only)` };
  // Said until the session ends, with where its connections can be found again.
  if (damagedDatabase) return { status: 'attention', summary: `${count ? noun : 'No connections'} · ${DAMAGED_DATABASE}${orphans > 0 ? ` · ${orphans} found in the keychain (see Settings → Connections)` : ''}` };
  if (warn > 0) return { status: 'attention', summary: `${noun} · ${warn} retrying` };
  if (busy > 0) return { status: 'busy', summary: `${noun} · working…` };
  const healthy = count === 0 ? 'No connections yet' : `${noun} · all healthy`;
  // Entries found in the keychain without a connection wait for the user: said once all else is well.
  if (orphans > 0) return { status: 'attention', summary: `${healthy} · ${orphans} found in the keychain (see Settings → Connections)` };
  return { status: 'ok', summary: healthy };
}
