/**
 * Whether the state database takes writes, as the whole app sees it: the tray and the windows show
 * the current problem (app-summary, the header's `stateDatabase`), the log says it once when it
 * starts and once when it ends, and the user gets one notification per problem, not one per
 * check. Each failed write is retried by whoever made it (keep-alive's backoff, the store's
 * commit timer); the first write that succeeds ends the problem.
 */
import { stateDatabaseLine } from '../../../shared/state-words.js';
import type { Notice } from '../keepalive/notification-policy.js';
import type { Clock, Logger, TimerHandle } from '../ports.js';
import type { StorageFailureKind } from './storage-failure.js';

/** Another program's lock usually ends by itself: the user is told only when it has lasted this long. */
export const LOCK_NOTICE_AFTER_MS = 60_000;
/** The same problem, back soon after it ended, is not notified again within this time. */
const RENOTIFY_AFTER_MS = 60 * 60_000;

export interface StateDatabaseProblem {
  readonly problem: StorageFailureKind;
  readonly since: number;
}

export interface StateDatabaseHealthDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notify: (notice: Notice) => void;
  /** The database was made by a newer version: read-only from the start, for the whole session. */
  readonly newer?: boolean;
}

const noticeOf = (problem: StorageFailureKind): Notice => {
  const line = stateDatabaseLine(problem);
  return {
    title: problem === 'newer' ? 'Data2CRM Tray needs an update' : 'Data2CRM Tray cannot save its state',
    body: `${line.charAt(0).toUpperCase()}${line.slice(1)}.`,
    connectionIds: [],
    openDialogFor: null,
    openSettings: true,
  };
};

export function createStateDatabaseHealth(deps: StateDatabaseHealthDeps) {
  const { clock, logger } = deps;
  let current: StateDatabaseProblem | null = deps.newer ? { problem: 'newer', since: clock.now() } : null;
  const listeners = new Set<() => void>();
  const notifiedAt = new Map<StorageFailureKind, number>();
  let lockNotice: TimerHandle | null = null;

  function notifyOnce(problem: StorageFailureKind): void {
    const last = notifiedAt.get(problem);
    if (last !== undefined && clock.monotonic() - last < RENOTIFY_AFTER_MS) return;
    notifiedAt.set(problem, clock.monotonic());
    deps.notify(noticeOf(problem));
  }

  function changed(): void {
    lockNotice?.cancel();
    lockNotice = null;
    for (const listener of listeners) listener();
  }

  return {
    /** What the header shows; null while writes succeed. */
    current: (): StateDatabaseProblem | null => current,
    /** A read or write was refused with this kind. */
    failed(problem: StorageFailureKind): void {
      if (current?.problem === 'newer' || current?.problem === problem) return;
      logger.warn('state: the state database refuses writes; changes stay in memory and are tried again', { problem });
      current = { problem, since: clock.now() };
      changed();
      if (problem !== 'locked') notifyOnce(problem);
      else
        lockNotice = clock.setTimer(LOCK_NOTICE_AFTER_MS, () => {
          lockNotice = null;
          if (current?.problem === 'locked') notifyOnce('locked');
        });
    },
    /** A write reached the database: any problem (but a newer version's) is over. */
    succeeded(): void {
      if (!current || current.problem === 'newer') return;
      logger.info('state: the state database takes writes again', { problem: current.problem, afterMs: Math.max(0, clock.now() - current.since) });
      current = null;
      changed();
    },
    /** Said once at start when the database is a newer version's (nothing else will fail to say it). */
    start(): void {
      if (current?.problem !== 'newer') return;
      logger.warn('state: the state database was made by a newer version; opened read-only, nothing is written and nothing is kept alive');
      notifyOnce('newer');
    },
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type StateDatabaseHealth = ReturnType<typeof createStateDatabaseHealth>;
