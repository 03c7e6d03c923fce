import type { ConnectionView } from '../../../preload/contract';
import { connectionStateDetail, type StateContext } from '../../../shared/state-words';
import { relativeTime } from '../components/time';

/** The texts of a row that move with the clock: its state's words beside the badge and the two times in its details. */
export type RowTimeKind = 'line' | 'verified' | 'expires';

export function rowTime(c: ConnectionView, kind: RowTimeKind, now: number, context: StateContext): string {
  if (kind === 'line') return connectionStateDetail(c, now, context);
  return relativeTime(kind === 'verified' ? c.lastVerifiedAt : c.expiresAt, now);
}

/** The times those texts count from: the window re-reads the clock when one of them turns a minute. */
export function watchedTimes(connections: readonly ConnectionView[]): Array<number | null> {
  return connections.flatMap((c) => [c.lastVerifiedAt, c.expiresAt, c.nextRunAt]);
}
