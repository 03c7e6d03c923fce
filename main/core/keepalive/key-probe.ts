/**
 * While Data2CRM rejects the user key, nothing is refreshed (every call would be refused). The key
 * may start working again without the user (an account reactivated, a gateway fixed), and on a
 * keeper nobody presses "Test key": so one cheap call (the count of applications, as "Test key"
 * makes; no Salesforce call, no token used) asks again every `KEY_PROBE_MS`. One timer for the
 * whole app, not one run per connection; it stops as soon as the key is accepted.
 */
import type { Clock, TimerHandle } from '../ports.js';

/** How often a rejected user key is tried again (as often as "Salesforce refuses for now"). */
export const KEY_PROBE_MS = 30 * 60_000;

export interface KeyProbeDeps {
  readonly clock: Clock;
  /** One call to Data2CRM with the stored key: true accepted, false rejected, null no answer about the key. */
  readonly probe: () => Promise<boolean | null>;
  readonly accepted: () => void;
}

export function createKeyProbe(deps: KeyProbeDeps) {
  let timer: TimerHandle | null = null;
  let running = false;
  let inFlight: Promise<void> = Promise.resolve();
  const arm = () => {
    timer?.cancel();
    timer = deps.clock.setTimer(KEY_PROBE_MS, () => void (inFlight = fire()));
  };
  async function fire(): Promise<void> {
    timer = null;
    running = true;
    const answer = await deps.probe().catch(() => null);
    // Stopped meanwhile (the key was accepted another way, or the app stops): nothing to do.
    if (!running) return;
    running = false;
    if (answer === true) deps.accepted();
    else arm();
  }
  return {
    start: arm,
    /** Resolves when no try is under way (keep-alive's whenIdle). */
    idle: () => inFlight,
    stop(): void {
      running = false;
      timer?.cancel();
      timer = null;
    },
  };
}
