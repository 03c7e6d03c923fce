/** "4 min ago", "in 12 min", or a date: for times the user reads at a glance. */
export function relativeTime(at: number | null, now = Date.now()): string {
  if (at === null) return 'never';
  const diff = at - now;
  const min = Math.round(Math.abs(diff) / 60_000);
  const text = min < 1 ? 'less than a minute' : min < 60 ? `${min} min` : min < 48 * 60 ? `${Math.round(min / 60)} h` : `${Math.round(min / 1440)} days`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

export function absoluteTime(at: number | null): string {
  return at === null ? '—' : new Date(at).toLocaleString();
}
