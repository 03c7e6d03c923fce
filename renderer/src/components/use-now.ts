import { useEffect, useState } from 'react';
import { nextWordChange } from './time';

/** At least this often while visible: a wall-clock jump or a resume from sleep shows within it. */
const TICK_MS = 15_000;
/** Changes closer together than this are shown together (one render, not a burst). */
const COALESCE_MS = 1_000;

/**
 * The current time, re-read while the window is visible so relative times ("4 min ago") stay
 * true to the minute. One timer: set for the next minute mark of the `shown` times (when one of
 * their texts changes, see nextWordChange), never later than 15 s. No timer runs while the window
 * is hidden (a tray app's windows mostly are); showing it re-reads the time at once.
 */
export function useNow(shown: readonly (number | null)[] = []): number {
  const [now, setNow] = useState(() => Date.now());
  const watchKey = shown.join(',');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const times = watchKey ? watchKey.split(',').map((t) => (t === '' ? null : Number(t))) : [];
    const schedule = () => {
      clearTimeout(timer);
      timer = undefined;
      if (document.visibilityState !== 'visible') return;
      const current = Date.now();
      const next = nextWordChange(times, current);
      const wait = next === null ? TICK_MS : Math.min(TICK_MS, Math.max(COALESCE_MS, next - current));
      timer = setTimeout(() => setNow(Date.now()), wait);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') setNow(Date.now());
      schedule();
    };
    schedule();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
    // `now` re-arms the timer after each tick; the shown times by value, not by array identity.
  }, [watchKey, now]);
  return now;
}
