import { useEffect, useState } from 'react';

const TICK_MS = 15_000;

/**
 * The current time, re-read while the window is visible so relative times ("4 min ago") stay true
 * to the minute; no timer runs while the window is hidden (a tray app's windows mostly are).
 */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const sync = () => {
      clearInterval(timer);
      timer = undefined;
      if (document.visibilityState !== 'visible') return;
      setNow(Date.now());
      timer = setInterval(() => setNow(Date.now()), TICK_MS);
    };
    sync();
    document.addEventListener('visibilitychange', sync);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', sync);
    };
  }, []);
  return now;
}
