/**
 * The words for a connection's state and its times, shared by the tray (main) and the windows
 * (renderer) so both say the same thing for the same event. Pure: the caller passes `now`, and
 * whoever shows the text re-computes it while shown (times stay true to the minute).
 */
import type { ConnectionView } from './contract.js';

export type StateLineInput = Pick<ConnectionView, 'status' | 'busy' | 'lastVerifiedAt' | 'expiresAt' | 'nextRunAt'> & { readonly mode?: ConnectionView['mode'] };

export interface StateContext {
  /** Data2CRM rejected the user key: nothing is kept alive. */
  readonly serviceKeyRejected?: boolean;
  /** Automatic refresh is paused by the user. */
  readonly paused?: boolean;
}

const MIN = 60_000;

/** "just now", "4 min ago", "3 h ago", "2 days ago" (whole units passed, never rounded up). */
export function ago(ms: number): string {
  const min = Math.floor(ms / MIN);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} days ago`;
}

/** "in 12 min", "in 1 h 35 min", "shortly" (under a minute). */
export function inTime(ms: number): string {
  const min = Math.ceil(ms / MIN);
  if (ms < MIN) return 'shortly';
  if (min < 60) return `in ${min} min`;
  if (min < 48 * 60) return `in ${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `in ${Math.floor(min / 1440)} days`;
}

/** Past or future, for a time shown next to its event. */
export function relativeWords(at: number | null, now: number): string {
  if (at === null) return 'never';
  return at <= now ? ago(now - at) : inTime(at - now);
}

const retryWhen = (nextRunAt: number | null, now: number) => (nextRunAt === null ? '…' : ` ${inTime(nextRunAt - now)}`);

/** Users fix these; the app cannot. */
export const needsUser = (status: ConnectionView['status']) => status === 'needs-reauthorization' || status === 'application-deleted';

/**
 * "healthy · verified 4 min ago", "healthy · renews in 10 min" (the app renews it itself),
 * "token expires in 20 min" (pasted tokens without a refresh token really die), "retrying in 2 min",
 * "paused · automatic refresh is off", "needs re-authorization" …
 */
export function connectionStateLine(c: StateLineInput, now: number, context: StateContext | boolean = {}): string {
  const { serviceKeyRejected = false, paused = false } = typeof context === 'boolean' ? { serviceKeyRejected: context } : context;
  if (c.busy) return 'refreshing…';
  if (serviceKeyRejected && c.status !== 'disconnecting') return 'stopped · Data2CRM rejected the user key';
  if (paused && !needsUser(c.status) && c.status !== 'disconnecting') return 'paused · automatic refresh is off';
  switch (c.status) {
    case 'needs-reauthorization':
      return c.mode === 'manual' ? 'needs new tokens' : 'needs re-authorization';
    case 'application-deleted':
      return 'deleted in Data2CRM';
    case 'retrying':
      return `retrying${retryWhen(c.nextRunAt, now)}`;
    case 'degraded':
      return `problem · retrying${retryWhen(c.nextRunAt, now)}`;
    case 'disconnecting':
      return 'disconnecting…';
    case 'paused':
      return 'paused';
    case 'connecting':
    case 'refreshing':
      return `${c.status}…`;
    case 'healthy':
      if (c.expiresAt !== null && c.expiresAt <= now) return `token expired ${ago(now - c.expiresAt)}`;
      if (c.expiresAt !== null && c.mode === 'manual') return `healthy · token expires ${inTime(c.expiresAt - now)}`;
      if (c.expiresAt !== null) return `healthy · renews ${inTime(Math.min(c.nextRunAt ?? c.expiresAt, c.expiresAt) - now)}`;
      return c.lastVerifiedAt === null ? 'healthy' : `healthy · verified ${ago(now - c.lastVerifiedAt)}`;
  }
}

/** The header's words when the state database could not be read at start and was set aside. */
export const DAMAGED_DATABASE = 'connection data was damaged and set aside';

/**
 * The banner: what happened and what comes next. The secrets of those connections are still in
 * the keychain, so they are listed under "Found in the keychain" (`found`, once the keychain is read).
 */
export function damagedDatabaseLine(found: number): string {
  const next = found > 0 ? `${found === 1 ? '1 connection was' : `${found} connections were`} found in the keychain: recover ${found === 1 ? 'it' : 'them'} under “Found in the keychain”.` : 'Connections whose secrets are in the keychain appear under “Found in the keychain” to recover; connect any others again.';
  return `The app’s connection data could not be read, so it was set aside (kept beside the new one as state.db.unreadable-…) and started afresh. ${next}`;
}
