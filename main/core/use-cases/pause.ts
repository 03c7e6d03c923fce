/** Pause and resume automatic refreshing; "Pause for 1 hour" resumes on its own (the keep-alive clock's timer). */
import type { ActionResult } from '../../../preload/contract.js';
import { stateDatabaseLine } from '../../../shared/state-words.js';
import type { TimerHandle } from '../ports.js';
import type { UseCaseDeps } from './deps.js';

export function createPauseActions(deps: Pick<UseCaseDeps, 'keepAlive' | 'clock' | 'changed' | 'stateDatabase'>) {
  const { keepAlive, changed } = deps;
  let resumeTimer: TimerHandle | null = null;
  return {
    /** forMs: "Pause for 1 hour" resumes on its own (the keep-alive clock's timer). */
    setPaused(paused: boolean, forMs?: number): ActionResult {
      // Nothing may run on a newer version's database (nothing it does could be recorded).
      if (!paused && deps.stateDatabase?.current()?.problem === 'newer') return { ok: false, message: `Automatic refresh stays off: ${stateDatabaseLine('newer')}.` };
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
