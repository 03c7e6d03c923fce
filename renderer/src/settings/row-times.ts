import type { ConnectionView } from '../../../preload/contract';
import { connectionStateLine, type StateContext } from '../../../preload/state-words';
import { relativeTime } from '../components/time';

/** Every text of a row that moves with the clock, formatted for one instant. */
export interface RowTimes {
  readonly line: string;
  readonly verified: string;
  readonly expires: string;
}

export function rowTimes(c: ConnectionView, now: number, context: StateContext): RowTimes {
  return { line: connectionStateLine(c, now, context), verified: relativeTime(c.lastVerifiedAt, now), expires: relativeTime(c.expiresAt, now) };
}

/** The times those texts count from: the window re-reads the clock when one of them turns a minute. */
export function watchedTimes(connections: readonly ConnectionView[]): Array<number | null> {
  return connections.flatMap((c) => [c.lastVerifiedAt, c.expiresAt, c.nextRunAt]);
}

export const sameTimes = (a: RowTimes, b: RowTimes) => a.line === b.line && a.verified === b.verified && a.expires === b.expires;
