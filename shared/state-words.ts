/**
 * The words for a connection's state and its times, shared by the tray (main) and the windows
 * (renderer) so both say the same thing for the same event. Pure: the caller passes `now`, and
 * whoever shows the text re-computes it while shown (times stay true to the minute).
 */
import type { ConnectionView, StorageProblem } from '../preload/contract.js';

export type StateLineInput = Pick<ConnectionView, 'status' | 'busy' | 'lastVerifiedAt' | 'expiresAt' | 'nextRunAt'> & { readonly mode?: ConnectionView['mode']; readonly newTokensBy?: ConnectionView['newTokensBy']; readonly keptBy?: ConnectionView['keptBy'] };

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

/** "10:41" (or "10:41 AM", as the system's locale says it): a time of today, such as when a pause ends. */
export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

/** Past or future, for a time shown next to its event. */
export function relativeWords(at: number | null, now: number): string {
  if (at === null) return 'never';
  return at <= now ? ago(now - at) : inTime(at - now);
}


/** Salesforce refuses the sign-in for now (login hours, IP ranges): it passes by itself. */
export const REFUSED_FOR_NOW_LINE = 'Salesforce refuses for now · retrying';

/**
 * New credentials for it are pasted, not signed in for: the core's decision, carried by every view
 * (a status without it, e.g. from an older keeper, goes by its mode).
 */
export const pastesNewTokens = (c: { readonly mode?: ConnectionView['mode']; readonly newTokensBy?: ConnectionView['newTokensBy'] }) => (c.newTokensBy ? c.newTokensBy === 'paste' : c.mode === 'manual');

/** Users fix these; the app cannot. */
export const needsUser = (status: ConnectionView['status']) => status === 'needs-reauthorization' || status === 'application-deleted';

/**
 * Needs the user of this app: never a connection a keeper renews (that is the keeper's to fix),
 * but a hand-over left half-way past its bound does (nobody renews it until it is finished or cancelled).
 */
export const needsYouHere = (c: { readonly status: ConnectionView['status']; readonly keptBy?: ConnectionView['keptBy'] }) => (c.keptBy ? Boolean(c.keptBy.pending && c.keptBy.stalled) : needsUser(c.status));

/** "handing over to keeper-1 since 14:05 · waiting for its receipt"; past its bound, "· needs you: finish or cancel it". */
function handingOverLine(keptBy: NonNullable<ConnectionView['keptBy']>): string {
  const since = keptBy.since === undefined ? '' : ` since ${clockTime(keptBy.since)}`;
  return `handing over to ${keptBy.keeper}${since} · ${keptBy.stalled ? 'needs you: finish it with its receipt or cancel it' : 'waiting for its receipt'}`;
}

/** "acme.my.salesforce.com": an instance URL's host as people read it (the text itself when it is no URL). */
export function instanceHostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * A line, the times its words count from or to (empty: the words do not change with time), its
 * `detail`: the line without the state's own word, for a window that shows the state as a badge
 * right beside it ("verified 4 min ago" next to "Healthy"): one place per fact; and its `form`:
 * the line with its time words left out, equal for two moments that differ only there.
 */
interface TimedLine {
  readonly text: string;
  readonly detail: string;
  readonly times: readonly number[];
  readonly form: string;
}

const fixed = (text: string, detail = ''): TimedLine => ({ text, detail, times: [], form: text });
/**
 * "healthy · verified 4 min ago": the state's word, then what a badge beside it leaves to say;
 * `form` is the line without its time words ("healthy · verified …") when it has any.
 */
const stateAnd = (state: string, detail: string, times: readonly number[] = [], form = `${state} · ${detail}`): TimedLine => ({ text: `${state} · ${detail}`, detail, times, form });
const retryWhen = (nextRunAt: number | null, now: number) => (nextRunAt === null ? '…' : ` ${inTime(nextRunAt - now)}`);
const retryLine = (prefix: string, nextRunAt: number | null, now: number): TimedLine => ({
  text: `${prefix}${retryWhen(nextRunAt, now)}`,
  detail: nextRunAt === null ? '' : `next try ${inTime(nextRunAt - now)}`,
  times: nextRunAt === null ? [] : [nextRunAt],
  form: `${prefix} …`,
});

function stateLine(c: StateLineInput, now: number, context: StateContext | boolean): TimedLine {
  const { serviceKeyRejected = false, paused = false } = typeof context === 'boolean' ? { serviceKeyRejected: context } : context;
  // Handed over: another process renews it; nothing here (pause, the user key) applies to it.
  if (c.keptBy) {
    const kept = c.keptBy.pending ? handingOverLine(c.keptBy) : `kept by ${c.keptBy.keeper}`;
    return fixed(kept, kept);
  }
  if (c.busy) return fixed('refreshing…', 'refreshing…');
  // A badge beside it already says "Stopped: user key rejected": nothing to add.
  if (serviceKeyRejected && c.status !== 'disconnecting') return fixed('stopped · Data2CRM rejected the user key');
  if (paused && !needsUser(c.status) && c.status !== 'disconnecting') return stateAnd('paused', 'automatic refresh is off');
  switch (c.status) {
    case 'needs-reauthorization':
      return fixed(pastesNewTokens(c) ? 'needs new tokens' : 'needs re-authorization');
    case 'application-deleted':
      return fixed('deleted in Data2CRM');
    case 'retrying':
      return retryLine('retrying', c.nextRunAt, now);
    case 'degraded':
      return retryLine('problem · retrying', c.nextRunAt, now);
    case 'refused-for-now':
      return retryLine(REFUSED_FOR_NOW_LINE, c.nextRunAt, now);
    case 'disconnecting':
      return fixed('disconnecting…');
    case 'paused':
      return fixed('paused');
    case 'connecting':
    case 'refreshing':
      return fixed(`${c.status}…`);
    case 'healthy': {
      if (c.expiresAt !== null && c.expiresAt <= now) {
        const expired = `token expired ${ago(now - c.expiresAt)}`;
        return { text: expired, detail: expired, times: [c.expiresAt], form: 'token expired …' };
      }
      if (c.expiresAt !== null && c.mode === 'manual') return stateAnd('healthy', `token expires ${inTime(c.expiresAt - now)}`, [c.expiresAt], 'healthy · token expires …');
      if (c.expiresAt !== null) {
        const renewsAt = Math.min(c.nextRunAt ?? c.expiresAt, c.expiresAt);
        return stateAnd('healthy', `renews ${inTime(renewsAt - now)}`, [renewsAt, c.expiresAt], 'healthy · renews …');
      }
      return c.lastVerifiedAt === null ? fixed('healthy') : stateAnd('healthy', `verified ${ago(now - c.lastVerifiedAt)}`, [c.lastVerifiedAt], 'healthy · verified …');
    }
  }
}

/**
 * "healthy · verified 4 min ago", "healthy · renews in 10 min" (the app renews it itself),
 * "token expires in 20 min" (pasted tokens without a refresh token really die), "retrying in 2 min",
 * "paused · automatic refresh is off", "needs re-authorization", "kept by keeper-1" (handed over),
 * "handing over to keeper-1 since 14:05 · waiting for its receipt" …
 */
export function connectionStateLine(c: StateLineInput, now: number, context: StateContext | boolean = {}): string {
  return stateLine(c, now, context).text;
}

/**
 * The state line without the state's own word, for a card that shows the state as a badge beside
 * it: "verified 4 min ago", "next try in 2 min", "automatic refresh is off"; empty when the badge
 * says it all ("Needs you").
 */
export function connectionStateDetail(c: StateLineInput, now: number, context: StateContext | boolean = {}): string {
  return stateLine(c, now, context).detail;
}

const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The first moment after `now` at which ago() / inTime() of `at` may read differently. */
export function nextWordsChangeAt(at: number, now: number): number {
  if (at > now) {
    // inTime: whole minutes rounded up (days rounded down from 48 h on); "shortly" until `at`.
    const ms = at - now;
    if (ms < MIN) return at;
    const min = Math.ceil(ms / MIN);
    // Exactly one minute away reads "in 1 min" for that one instant only.
    if (min === 1) return now + 1;
    return min < 48 * 60 ? at - (min - 1) * MIN : at - (Math.floor(min / 1440) * 1440 - 1) * MIN;
  }
  // ago: whole minutes under an hour, whole hours under 48 h, then whole days.
  const ms = now - at;
  if (ms < HOUR) return at + (Math.floor(ms / MIN) + 1) * MIN;
  if (ms < 48 * HOUR) return at + (Math.floor(ms / HOUR) + 1) * HOUR;
  return at + (Math.floor(ms / DAY) + 1) * DAY;
}

/** The line with its time words left out: equal at two moments when only the times read differently. */
export function connectionStateForm(c: StateLineInput, now: number, context: StateContext | boolean = {}): string {
  return stateLine(c, now, context).form;
}

/** When this connection's line next reads differently, or null when its words carry no time. */
export function stateLineChangesAt(c: StateLineInput, now: number, context: StateContext | boolean = {}): number | null {
  const times = stateLine(c, now, context).times;
  return times.length ? Math.min(...times.map((at) => nextWordsChangeAt(at, now))) : null;
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

/**
 * The header's words while the state database cannot be written, in the tray, the windows' banner
 * and the one notification. Each says what happened and what comes next; none blames the
 * settings file for the database.
 */
const STATE_DATABASE_WORDS: Record<StorageProblem, string> = {
  locked: 'another program is using the state database; retrying',
  full: 'the disk is full, so changes are not saved; retrying',
  'read-only': 'the disk is read-only, so changes are not saved; retrying',
  newer: 'the state database was made by a newer version of Data2CRM Tray; update the app',
  corrupt: 'SQLite reports the state database damaged, so changes are not saved; restart the app to check it',
  other: 'the state database cannot be written, so changes are not saved; retrying',
};

export const stateDatabaseLine = (problem: StorageProblem): string => STATE_DATABASE_WORDS[problem];

/** Before anything else starts: why the app waits for its state database (only the tray exists yet). */
export function stateDatabaseWaitingLine(problem: StorageProblem): string {
  if (problem === 'locked') return 'Starting: another program is using the state database; retrying';
  if (problem === 'full') return 'Starting: the disk is full, so the state database cannot be opened; retrying';
  if (problem === 'read-only') return 'Starting: the disk is read-only, so the state database cannot be opened; retrying';
  return 'Starting: the state database cannot be opened; retrying';
}
