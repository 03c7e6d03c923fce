/**
 * When a connection's next run is planned. The rule: at the earliest moment the run can do useful
 * work (a verification once one is due; a refresh once its window opens and the storm guard allows
 * it); the scheduler's jitter only moves it later, and never past `latestAt`, so a refresh still
 * lands at least the margin before the expiry. A run that could do nothing useful (a refresh the
 * guard would refuse, which would only verify and plan again) is never planned.
 */
import type { ConnectionRecord, RefreshSettings } from '../settings/schema.js';
import { refreshWindow } from './token-lifetime.js';

export interface RunPlan {
  /** Wall ms: the earliest useful moment. */
  readonly at: number;
  /** Wall ms: jitter never moves the run past this (absent: the configured jitter, freely). */
  readonly latestAt?: number;
}

/**
 * External mode: the verification due at `verifyAt`, or the refresh, whichever comes first.
 * `blockedUntil`: when the storm guard allows the next refresh (null: now).
 */
export function externalRunPlan(record: Pick<ConnectionRecord, 'tokenReceivedAt' | 'learnedLifetimeMs'>, refresh: RefreshSettings, verifyAt: number, blockedUntil: number | null): RunPlan {
  const window = refreshWindow(record, refresh);
  // The receipt time is unknown: the next run refreshes, once the guard allows it.
  if (window === null) return { at: Math.max(verifyAt, blockedUntil ?? verifyAt) };
  // A verification comes first; its jitter must not carry it past the refresh's last moment.
  if (verifyAt < window.from) return { at: verifyAt, latestAt: window.until };
  const at = Math.max(window.from, blockedUntil ?? window.from);
  return { at, latestAt: Math.max(at, window.until) };
}
