/**
 * Startup's first step: open the state database, waiting while it refuses. Another program's lock
 * (a backup tool, the sqlite3 shell, a store of ours still closing) is waited out, never taken for
 * damage: only the adapter's integrity check moves a file aside. A wait longer than a few seconds
 * is shown (the tray is all that exists yet) and the app keeps trying; nothing is lost meanwhile,
 * because nothing has been read or written yet.
 */
import { stateDatabaseWaitingLine } from '../../../shared/state-words.js';
import type { Notice } from '../keepalive/notification-policy.js';
import type { Clock, Logger, StateStore } from '../ports.js';
import { storageFailureOf, type StorageFailureKind } from './storage-failure.js';

/** A lock held this long only delays startup; a longer one is shown (onWaiting). */
export const QUIET_WAIT_MS = 5_000;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2_000;

export interface OpenWhenFreeDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Told when the wait has lasted `quietForMs`, and again when its reason changes. */
  readonly onWaiting?: (problem: StorageFailureKind) => void;
  readonly quietForMs?: number;
}

const delay = (clock: Clock, ms: number) => new Promise<void>((resolve) => void clock.setTimer(ms, resolve));

/** Resolves with the open store; rejects only for what is not a storage refusal (a bug). */
export async function openStateStoreWhenFree<T extends StateStore>(open: () => T, deps: OpenWhenFreeDeps): Promise<T> {
  const { clock, logger } = deps;
  const started = clock.monotonic();
  const quietForMs = deps.quietForMs ?? QUIET_WAIT_MS;
  let last: StorageFailureKind | null = null;
  let shown: StorageFailureKind | null = null;
  for (let retryMs = FIRST_RETRY_MS; ; retryMs = Math.min(retryMs * 2, MAX_RETRY_MS)) {
    try {
      const store = open();
      if (last) logger.info('state: the state database opened after waiting', { waitedMs: Math.round(clock.monotonic() - started) });
      return store;
    } catch (error) {
      const failure = storageFailureOf(error);
      if (!failure) throw error;
      if (failure.kind !== last) logger.warn('state: the state database cannot be opened yet; retrying', { kind: failure.kind, error: failure.message });
      last = failure.kind;
    }
    if (shown !== last && clock.monotonic() - started >= quietForMs) {
      shown = last;
      deps.onWaiting?.(last);
    }
    await delay(clock, retryMs);
  }
}

/** The one notification of a long wait at startup (no window can open yet: a click does nothing). */
export function startupWaitingNotice(problem: StorageFailureKind): Notice {
  return { title: 'Data2CRM Tray is waiting to start', body: `${stateDatabaseWaitingLine(problem).replace(/^Starting: /, '').replace(/^./, (c) => c.toUpperCase())}.`, connectionIds: [], openDialogFor: null };
}
