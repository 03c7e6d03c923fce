import { relativeWords } from '../../../preload/state-words';

/** "4 min ago", "in 12 min": the tray's words, for times the user reads at a glance. */
export function relativeTime(at: number | null, now = Date.now()): string {
  return relativeWords(at, now);
}

export function absoluteTime(at: number | null): string {
  return at === null ? '—' : new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
