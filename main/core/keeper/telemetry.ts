/**
 * What a keeper reports to Prometheus, decided here (the adapter only names and serves it):
 * connections by state, successful refreshes, failed checks by kind, how far behind schedule the
 * most overdue planned check is, and how many checks are running. Counters only grow (they start
 * at 0 with the process, as Prometheus expects); gauges are read at each scrape.
 */
import type { KeepAlive } from '../keepalive/keep-alive.js';
import type { Clock } from '../ports.js';
import { CONNECTION_STATUSES, type ConnectionStatus } from '../settings/schema.js';
import type { SettingsRepository } from '../settings/settings-repository.js';

/** Why a check failed, in an operator's words (a label value: a small, fixed set). */
export const FAILURE_KINDS = ['transient', 'unexpected', 'needs-user', 'application-deleted', 'user-key-rejected'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

function failureKind(status: ConnectionStatus, serviceKeyRejected: boolean): FailureKind | null {
  if (serviceKeyRejected) return 'user-key-rejected';
  if (status === 'retrying') return 'transient';
  if (status === 'degraded') return 'unexpected';
  if (status === 'needs-reauthorization') return 'needs-user';
  if (status === 'application-deleted') return 'application-deleted';
  return null;
}

export interface TelemetrySnapshot {
  readonly connections: Record<ConnectionStatus, number>;
  readonly refreshes: number;
  readonly failures: Record<FailureKind, number>;
  /** Seconds between now and the earliest planned check that is already due (0 when none is late). */
  readonly nextDueLagSeconds: number;
  readonly checksRunning: number;
}

export function createKeeperTelemetry(deps: { readonly keepAlive: KeepAlive; readonly settings: SettingsRepository; readonly clock: Clock }) {
  let refreshes = 0;
  const failures = Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, 0])) as Record<FailureKind, number>;
  deps.keepAlive.onChecked((check) => {
    if (check.refreshed) refreshes++;
    const kind = failureKind(check.status, check.serviceKeyRejected);
    if (kind) failures[kind]++;
  });
  return {
    /** O(connections): a scrape every 15 s or so, never on a timer of its own. */
    snapshot(): TelemetrySnapshot {
      const connections = Object.fromEntries(CONNECTION_STATUSES.map((status) => [status, 0])) as Record<ConnectionStatus, number>;
      const now = deps.clock.now();
      let earliest = Infinity;
      for (const record of deps.settings.get().connections) {
        connections[record.status]++;
        const due = deps.keepAlive.nextRunAt(record.id);
        if (due !== null && due < earliest) earliest = due;
      }
      return { connections, refreshes, failures: { ...failures }, nextDueLagSeconds: Number.isFinite(earliest) ? Math.max(0, (now - earliest) / 1000) : 0, checksRunning: deps.keepAlive.scheduler.inFlightCount() };
    },
  };
}

export type KeeperTelemetry = ReturnType<typeof createKeeperTelemetry>;
