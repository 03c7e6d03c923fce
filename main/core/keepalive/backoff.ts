/**
 * Capped exponential backoff with full jitter (AWS: random(0, min(cap, base·2^n))), never shorter
 * than what the server asked for with Retry-After.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

export function retryDelay(attempt: number, retryAfterMs: number | null, policy: BackoffPolicy, random: () => number): number {
  return Math.max(retryAfterMs ?? 0, backoffDelay(attempt, policy, random));
}

/** The latest a retry can come (full jitter draws below this): when the next try happens at the latest. */
export function retryCeiling(attempt: number, retryAfterMs: number | null, policy: BackoffPolicy): number {
  return Math.max(retryAfterMs ?? 0, Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30)));
}
