/**
 * A connection's trouble: the run of failed checks from the first to the next success. The user
 * is told about it by its duration and its consequence, never by a count of failures: a few failed
 * tries that pass within minutes tell nobody. It is told once, when it has lasted the configured
 * time (`notifyAfterMs`, 30 min by default), or sooner when it costs Data2CRM its access token
 * (an external connection's token, alive when the trouble began, expires before the next try
 * could renew it). "Salesforce refuses for now" has its own notice when it begins.
 */
import type { ConnectionRecord, ConnectionStatus, RefreshSettings } from '../settings/schema.js';
import { estimatedExpiry } from './token-lifetime.js';

type TroubleFields = Pick<ConnectionRecord, 'troubleSince' | 'troubleTold'>;

/** Whether the trouble of `record` (as it is after this run) matters now. `latestRetryAt`: the latest the next try can come. */
export function troubleMatters(record: Pick<ConnectionRecord, 'mode' | 'troubleSince' | 'tokenReceivedAt' | 'learnedLifetimeMs'>, now: number, latestRetryAt: number, refresh: RefreshSettings): boolean {
  if (record.troubleSince === null) return false;
  if (now - record.troubleSince >= refresh.notifyAfterMs) return true;
  // Only the app renews an external token: the trouble is what lets it run out at Data2CRM.
  const expiry = record.mode === 'external' ? estimatedExpiry(record, refresh) : null;
  return expiry !== null && expiry > record.troubleSince && expiry <= latestRetryAt;
}

/**
 * The trouble fields after a run, and whether to tell now. A run that plans a retry continues
 * (or starts) the trouble; any other ends it (healthy, or a state that needs the user, which is
 * told on its own).
 */
export function nextTrouble(
  current: ConnectionRecord,
  after: { status: ConnectionStatus; retrying: boolean; patch: Partial<ConnectionRecord> },
  now: number,
  latestRetryAt: number,
  refresh: RefreshSettings,
): { fields: TroubleFields; tellNow: boolean } {
  if (!after.retrying) return { fields: { troubleSince: null, troubleTold: false }, tellNow: false };
  const next = { ...current, ...after.patch, troubleSince: current.troubleSince ?? now };
  const matters = troubleMatters(next, now, latestRetryAt, refresh);
  const tellable = after.status === 'retrying' || after.status === 'degraded';
  const tellNow = matters && tellable && !current.troubleTold;
  // "Refuses for now" was told as it began: the same trouble is not told again.
  return { fields: { troubleSince: next.troubleSince, troubleTold: current.troubleTold || tellNow || after.status === 'refused-for-now' }, tellNow };
}
