import type { Snapshot } from '../../../preload/contract';
import { stateDatabaseLine } from '../../../shared/state-words';

/**
 * While the state database refuses writes (a full or read-only disk, another program's lock,
 * damage) or was made by a newer version: why, and what comes next, in every window. The tray's
 * summary and the one notification say the same words.
 */
export function StateDatabaseBanner({ snapshot }: { snapshot: Pick<Snapshot, 'stateDatabase'> }) {
  const problem = snapshot.stateDatabase?.problem;
  if (!problem) return null;
  const line = stateDatabaseLine(problem);
  return (
    <p className={`banner ${problem === 'locked' ? 'banner-warning' : 'banner-error'}`} role="alert">
      {line.charAt(0).toUpperCase()}
      {line.slice(1)}.
    </p>
  );
}
