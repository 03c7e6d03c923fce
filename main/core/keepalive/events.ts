import type { NewTokensBy } from '../connections/new-tokens-by.js';
import type { ConnectionStatus } from '../settings/schema.js';

/**
 * A connection changed state, was renewed, or Salesforce moved its org to another instance
 * (`moved`: the detail names the new address); consumed by the activity log, tray and notifications.
 */
export interface ConnectionEvent {
  readonly kind: 'status' | 'renewed' | 'moved';
  readonly connectionId: string;
  readonly label: string;
  readonly at: number;
  readonly from: ConnectionStatus;
  readonly to: ConnectionStatus;
  /** Plain words, never a secret. */
  readonly detail: string | null;
  readonly consecutiveFailures: number;
  /** How the user gives it new credentials (connections/new-tokens-by.ts): what its notice asks for. */
  readonly newTokensBy?: NewTokensBy;
  /**
   * The trouble this run continues has just become worth telling (once per trouble): it has
   * lasted the configured time, or Data2CRM's access token runs out before the next try.
   */
  readonly lastingTrouble?: boolean;
}

export const NEEDS_USER: ReadonlySet<ConnectionStatus> = new Set(['needs-reauthorization', 'application-deleted']);
