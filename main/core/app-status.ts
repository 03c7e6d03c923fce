/** The aggregate state the tray shows; richer per-connection states build on it. */
/** key-rejected: Data2CRM refuses the user key, so nothing is kept alive (its own icon); paused: the user paused automatic refresh. */
export type AppStatus = 'ok' | 'attention' | 'error' | 'busy' | 'key-rejected' | 'paused';

export interface AppState {
  readonly productName: string;
  readonly version: string;
  readonly status: AppStatus;
  /** One line for the tooltip and the menu header, e.g. "No connections yet". */
  readonly summary: string;
}
