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

/** Two successful refreshes of one connection are never closer than this (unless its token was rejected). */
export function minRefreshGapMs(record: Pick<ConnectionRecord, 'learnedLifetimeMs'>, refresh: RefreshSettings): number {
  return Math.min(lifetimeOf(record, refresh) / 2, 10 * MIN);
}
