/**
 * Our own sense of elapsed time, from the one Clock port (wall + monotonic). Every stored time is
 * on our wall clock (only wall time survives a restart); this keeps those times true while the
 * clock moves:
 * - a wall-clock jump while running (either way): wall and monotonic progress disagree. A
 *   backward jump is shifted out at once; a forward gap waits CONFIRM_MS for a resume (below) and
 *   is then shifted out too. Until then ages look longer (a refresh comes early, never late).
 * - sleep/resume: monotonic time stops during suspend (Linux), wall time does not. A forward gap
 *   confirmed by `resumed()` (powerMonitor) is real time that passed: nothing is shifted.
 * Listeners move stored times by the shift, so `now − storedTime` stays the real age.
 */
import type { Clock } from '../ports.js';

/** Disagreements smaller than this are drift, not a jump. */
const TOLERANCE_MS = 2_000;
/** A forward gap not explained by a resume within this much monotonic time was a clock change. */
export const CONFIRM_MS = 60_000;

/**
 * A moment on our count of time really passed (monotonic plus confirmed sleep): one number, as a
 * mark is kept per connection (the storm guard's last refresh).
 */
export type TimeMark = number;

export function createTimeline(clock: Clock) {
  let lastOffset = clock.now() - clock.monotonic();
  let pending: Array<{ amount: number; seenAt: number }> = [];
  let slept = 0;
  const listeners = new Set<(deltaMs: number) => void>();

  const shift = (deltaMs: number) => {
    for (const listener of listeners) listener(deltaMs);
  };

  /** Looks at both clocks; shifts stored times for jumps it is sure of. */
  function observe(): void {
    const mono = clock.monotonic();
    const offset = clock.now() - mono;
    const delta = offset - lastOffset;
    if (Math.abs(delta) > TOLERANCE_MS) {
      lastOffset = offset;
      if (delta < 0) shift(delta);
      else pending.push({ amount: delta, seenAt: mono });
    }
    const confirmed = pending.filter((p) => mono - p.seenAt >= CONFIRM_MS);
    if (confirmed.length === 0) return;
    pending = pending.filter((p) => mono - p.seenAt < CONFIRM_MS);
    shift(confirmed.reduce((sum, p) => sum + p.amount, 0));
  }

  return {
    observe,
    /** The system woke from sleep: the forward gap just seen was time asleep. */
    resumed(): void {
      observe();
      slept += pending.reduce((sum, p) => sum + p.amount, 0);
      pending = [];
    },
    /** Called with the amount to add to every stored wall time. */
    onShift(listener: (deltaMs: number) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mark: (): TimeMark => clock.monotonic() + slept,
    /** Time that really passed since the mark (monotonic plus confirmed sleep): never an overestimate. */
    elapsedSince: (mark: TimeMark): number => clock.monotonic() + slept - mark,
    /** A forward gap is waiting for its explanation (sleep or clock change). */
    hasPending: (): boolean => pending.length > 0,
  };
}

export type Timeline = ReturnType<typeof createTimeline>;
