/**
 * A hand-over left half-way must not go unnoticed: while a connection is `handing-over`, nobody
 * renews it (the sender stopped; the receiver may never have taken it). Past a bound the person
 * who started it is told, once per hand-over, through the notice policy (snooze applies), and
 * the views call it stalled ("needs you: finish or cancel").
 *
 * The bound: 15 minutes after it began (a hand-over over a socket takes seconds; by file, the
 * time to copy one file and type one passphrase), or earlier, 5 minutes before the access token
 * it carried would expire, so the person can still finish or cancel before Data2CRM loses the
 * token (external sessions can be as short as 15 minutes); never sooner than 1 minute after it
 * began (a hand-over in flight is not stalled).
 */
import type { NotificationPolicy, Notice } from '../keepalive/notification-policy.js';
import type { Clock, TimerHandle } from '../ports.js';
import { estimatedExpiry } from '../keepalive/token-lifetime.js';
import type { ConnectionRecord, RefreshSettings } from '../settings/schema.js';
import type { SettingsRepository } from '../settings/settings-repository.js';

const MIN = 60_000;
export const HANDOVER_STALLS_AFTER_MS = 15 * MIN;
const BEFORE_EXPIRY_MS = 5 * MIN;
const AT_LEAST_MS = 1 * MIN;

/** When a hand-over of this record counts as stalled (null: no hand-over under way). */
export function handoverStallsAt(record: Pick<ConnectionRecord, 'keptBy' | 'mode' | 'tokenReceivedAt' | 'learnedLifetimeMs'>, refresh: RefreshSettings): number | null {
  const keptBy = record.keptBy;
  if (keptBy?.state !== 'handing-over') return null;
  const bound = keptBy.since + HANDOVER_STALLS_AFTER_MS;
  // Internal connections are renewed by Data2CRM itself: only the bound applies.
  const expiresAt = record.mode === 'internal' ? null : estimatedExpiry(record, refresh);
  const beforeExpiry = expiresAt === null ? bound : expiresAt - BEFORE_EXPIRY_MS;
  return Math.max(keptBy.since + AT_LEAST_MS, Math.min(bound, beforeExpiry));
}

export interface StalledHandoverDeps {
  readonly settings: SettingsRepository;
  readonly clock: Clock;
  readonly policy: Pick<NotificationPolicy, 'handoverStalled'>;
  readonly notify: (notice: Notice) => void;
  /** The views look at these connections again (they read as stalled from now on). */
  readonly changed: (ids: readonly string[]) => void;
}

/** One timer, set for the earliest stall to come; `replan` after any hand-over step. */
export function watchStalledHandovers(deps: StalledHandoverDeps) {
  const told = new Set<string>();
  let timer: TimerHandle | null = null;
  let stopped = false;

  function check(): void {
    timer = null;
    if (stopped) return;
    const now = deps.clock.now();
    const due: ConnectionRecord[] = [];
    let next = Infinity;
    for (const record of deps.settings.get().connections) {
      const at = handoverStallsAt(record, deps.settings.get().refresh);
      if (at === null || told.has(record.keptBy!.handoverId)) continue;
      if (at <= now) due.push(record);
      else next = Math.min(next, at);
    }
    if (due.length > 0) {
      for (const record of due) told.add(record.keptBy!.handoverId);
      deps.changed(due.map((r) => r.id));
      const notice = deps.policy.handoverStalled(due.map((r) => ({ connectionId: r.id, label: r.label, keeper: r.keptBy!.keeper, since: r.keptBy!.since })));
      if (notice) deps.notify(notice);
    }
    if (next !== Infinity) timer = deps.clock.setTimer(Math.max(0, next - now), check);
  }

  return {
    replan(): void {
      timer?.cancel();
      check();
    },
    stop(): void {
      stopped = true;
      timer?.cancel();
      timer = null;
    },
  };
}

export type StalledHandovers = ReturnType<typeof watchStalledHandovers>;
