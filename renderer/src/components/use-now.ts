import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { nextWordChange } from './time';

/** At least this often while visible: a wall-clock jump or a resume from sleep shows within it. */
const TICK_MS = 15_000;
/** Changes closer together than this are shown together (one render, not a burst). */
const COALESCE_MS = 1_000;

/**
 * Re-reads the clock while the window is visible so relative times ("4 min ago") stay true to the
 * minute. One timer: set for the next minute mark of the `times` shown (when one of their texts
 * changes, see nextWordChange), never later than 15 s. No timer runs while the window is hidden (a
 * tray app's windows mostly are); showing it re-reads the time at once. Returns the stop function.
 */
function watchClock(times: readonly (number | null)[], onNow: (now: number) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    if (document.visibilityState !== 'visible') return;
    const current = Date.now();
    const next = nextWordChange(times, current);
    const wait = next === null ? TICK_MS : Math.min(TICK_MS, Math.max(COALESCE_MS, next - current));
    timer = setTimeout(() => (onNow(Date.now()), schedule()), wait);
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') onNow(Date.now());
    schedule();
  };
  schedule();
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

/** The shown times by value, not by array identity (a new array each render). */
const keyOf = (shown: readonly (number | null)[]) => shown.join(',');
const timesOf = (key: string) => (key ? key.split(',').map((t) => (t === '' ? null : Number(t))) : []);

/** The current time as state: the component re-renders whenever the clock is re-read. */
export function useNow(shown: readonly (number | null)[] = []): number {
  const [now, setNow] = useState(() => Date.now());
  const watchKey = keyOf(shown);
  useEffect(() => watchClock(timesOf(watchKey), setNow), [watchKey]);
  return now;
}

/** The current time for many small readers, without re-rendering whoever owns the clock. */
export interface NowStore {
  readonly now: () => number;
  readonly subscribe: (listener: () => void) => () => void;
}

/**
 * The clock of useNow kept in a store: the owner (a list) does not re-render when it ticks; each
 * reader (useNowText) re-renders only when the text it derives from the time changes.
 */
export function useNowStore(shown: readonly (number | null)[] = []): NowStore {
  const [store] = useState(() => {
    let now = Date.now();
    const listeners = new Set<() => void>();
    return {
      now: () => now,
      subscribe: (listener: () => void) => (listeners.add(listener), () => void listeners.delete(listener)),
      set: (at: number) => {
        now = at;
        for (const listener of listeners) listener();
      },
    };
  });
  const watchKey = keyOf(shown);
  useEffect(() => watchClock(timesOf(watchKey), store.set), [watchKey, store]);
  return store;
}

/**
 * A text derived from the store's time: the caller re-renders only when the text changes. Plain
 * state, not useSyncExternalStore: a tick then renders in the same batch as a state push arriving
 * with it (one render and commit), instead of a separate synchronous one before it.
 */
export function useNowText(store: NowStore, format: (now: number) => string): string {
  const text = format(store.now());
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const shown = useRef({ text, format });
  useLayoutEffect(() => {
    shown.current = { text, format };
  });
  useEffect(() => {
    const check = () => shown.current.format(store.now()) !== shown.current.text && rerender();
    const stop = store.subscribe(check);
    check(); // a tick between this render and the subscription
    return stop;
  }, [store]);
  return text;
}
