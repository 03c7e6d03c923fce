/** Pause and resume automatic refreshing; "Pause for 1 hour" resumes on its own (the keep-alive clock's timer). */
import type { ActionResult } from '../../../preload/contract.js';
import type { TimerHandle } from '../ports.js';
import type { UseCaseDeps } from './deps.js';

export function createPauseActions(deps: Pick<UseCaseDeps, 'keepAlive' | 'clock' | 'changed'>) {
  const { keepAlive, changed } = deps;
  let resumeTimer: TimerHandle | null = null;
  return {
    /** forMs: "Pause for 1 hour" resumes on its own (the keep-alive clock's timer). */
    setPaused(paused: boolean, forMs?: number): ActionResult {
      resumeTimer?.cancel();
      resumeTimer = null;
      if (paused) keepAlive.pause(forMs === undefined ? undefined : deps.clock.now() + forMs);
      else keepAlive.resume();
      if (paused && forMs !== undefined)
        resumeTimer = deps.clock.setTimer(forMs, () => {
          resumeTimer = null;
          keepAlive.resume();
          changed();
        });
      changed();
      return { ok: true };
    },
  };
}
