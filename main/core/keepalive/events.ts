import type { ConnectionStatus } from '../settings/schema.js';

/** A connection changed state, or was renewed; consumed by the activity log, tray and notifications. */
export interface ConnectionEvent {
  readonly kind: 'status' | 'renewed';
  readonly connectionId: string;
  readonly label: string;
  readonly at: number;
  readonly from: ConnectionStatus;
  readonly to: ConnectionStatus;
  /** Plain words, never a secret. */
  readonly detail: string | null;
  readonly consecutiveFailures: number;
}

export const NEEDS_USER: ReadonlySet<ConnectionStatus> = new Set(['needs-reauthorization', 'application-deleted']);
