import { relativeWords } from '../../../shared/state-words';

const MIN = 60_000;

/** "4 min ago", "in 12 min": the tray's words, for times the user reads at a glance. */
export function relativeTime(at: number | null, now = Date.now()): string {
  return relativeWords(at, now);
}

export function absoluteTime(at: number | null): string {
  return at === null ? '—' : new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The next instant at which the relative words for any of these times can change. Every wording in
 * state-words counts whole minutes from its event ("4 min ago", "in 12 min", "2 h ago"), so a text
 * can only change a whole number of minutes after (or before) its event: the next such instant of
 * the nearest one is when the window has something new to say. Null: nothing shown moves.
 */
export function nextWordChange(times: Iterable<number | null>, now: number): number | null {
  let next: number | null = null;
  for (const at of times) {
    if (at === null) continue;
    const into = (((now - at) % MIN) + MIN) % MIN;
    const change = now + (MIN - into);
    if (next === null || change < next) next = change;
  }
  return next;
}
