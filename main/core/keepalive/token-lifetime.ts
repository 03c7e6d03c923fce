/**
 * How long an access token lives, measured on OUR clock from the moment we received it. Server
 * timestamps are only compared with server timestamps (introspection: exp − issued_at).
 */
import type { SalesforceOAuthClient } from '../salesforce/oauth-client.js';
import type { ConnectionRecord, RefreshSettings } from '../settings/schema.js';

const MIN = 60_000;
/** Salesforce's session timeout choices (Setup → Session Settings). */
export const SESSION_TIMEOUTS_MS = [15, 30, 60, 120, 240, 480, 720, 1440].map((m) => m * MIN);

export function lifetimeOf(record: Pick<ConnectionRecord, 'learnedLifetimeMs'>, refresh: RefreshSettings): number {
  return record.learnedLifetimeMs ?? refresh.sessionLifetimeMs;
}

/** The access-token expiry on our wall clock; null when we do not know when we received it. */
export function estimatedExpiry(record: Pick<ConnectionRecord, 'tokenReceivedAt' | 'learnedLifetimeMs'>, refresh: RefreshSettings): number | null {
  return record.tokenReceivedAt === null ? null : record.tokenReceivedAt + lifetimeOf(record, refresh);
}

/** The token's real lifetime, when the connected app's secret lets us ask; null otherwise. */
export async function learnLifetime(oauth: SalesforceOAuthClient, accessToken: string, issuedAt: number, clientSecret: string | undefined): Promise<number | null> {
  if (!clientSecret) return null;
  const info = await oauth.introspect(accessToken);
  // Both are Salesforce's timestamps: the difference is a true duration whatever our clock says.
  const lifetime = info.ok && info.value.active && info.value.expiresAt !== null ? info.value.expiresAt - issuedAt : null;
  return lifetime !== null && lifetime > MIN ? Math.round(lifetime) : null;
}

/**
 * A token was found dead at this age: the org's session timeout is the largest setting not above
 * it. Null when it died younger than any setting (revoked, not timed out).
 */
export function lifetimeFromObservedAge(ageMs: number): number | null {
  const fitting = SESSION_TIMEOUTS_MS.filter((t) => t <= ageMs);
  return fitting.length ? fitting[fitting.length - 1]! : null;
}

/** The refresh margin never exceeds this share of the lifetime: short sessions refresh about once per lifetime. */
export const MAX_MARGIN_SHARE = 0.1;
/** Jitter on a refresh never exceeds this share of the lifetime (nor the configured jitter). */
export const MAX_SPREAD_SHARE = 1 / 30;

/**
 * How long before the estimated expiry a refresh is due: the configured margin ("renew this many
 * minutes early"), but at most a tenth of the lifetime. A fixed 10 min on a 15-min session would
 * refresh every 5 min, inside the storm guard's gap, so every refresh would land on the guard.
 */
export function refreshMarginMs(record: Pick<ConnectionRecord, 'learnedLifetimeMs'>, refresh: RefreshSettings): number {
  return Math.min(refresh.skewMs, Math.floor(lifetimeOf(record, refresh) * MAX_MARGIN_SHARE));
}

/**
 * When a proactive refresh may run: from `from` (the plan) to `until` (expiry − margin; jitter
 * never goes past it). Null when the token's receipt time is unknown (refresh at the next run).
 */
export function refreshWindow(record: Pick<ConnectionRecord, 'tokenReceivedAt' | 'learnedLifetimeMs'>, refresh: RefreshSettings): { from: number; until: number } | null {
  const expiry = estimatedExpiry(record, refresh);
  if (expiry === null) return null;
  const until = expiry - refreshMarginMs(record, refresh);
  return { from: until - Math.min(refresh.jitterMs, Math.floor(lifetimeOf(record, refresh) * MAX_SPREAD_SHARE)), until };
}

/** Two successful refreshes of one connection are never closer than this (unless its token was rejected). */
export function minRefreshGapMs(record: Pick<ConnectionRecord, 'learnedLifetimeMs'>, refresh: RefreshSettings): number {
  return Math.min(lifetimeOf(record, refresh) / 2, 10 * MIN);
}
