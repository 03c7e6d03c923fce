import { useLayoutEffect, useRef } from 'react';
import type { ConnectionView } from '../../../preload/contract';
import { useNowStore } from '../components/use-now';
import { useIds, useVirtualRows } from '../components/use-virtual-rows';
import { ConnectionRow } from './connection-row';
import { RowClock } from './row-time';
import { watchedTimes } from './row-times';

/** Rows as they are laid out, with a 10 px gap (styles.css `.connections` says the same). */
const ROW_ESTIMATE = 124;
const ROW_GAP = 10;

/**
 * Keyboard focus never falls to the page when the row holding it goes away (disconnected): it
 * moves to the row that took its place, else the one before, else `fallback` (the list is empty).
 */
function useFocusStaysInList(list: React.RefObject<HTMLUListElement | null>, keys: readonly string[], fallback: () => void) {
  const last = useRef<{ key: string; index: number } | null>(null);
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const remember = (event: FocusEvent) => {
      const key = (event.target as Element).closest('[data-key]')?.getAttribute('data-key');
      if (key) last.current = { key, index: keys.indexOf(key) };
    };
    element.addEventListener('focusin', remember);
    return () => element.removeEventListener('focusin', remember);
  }, [list, keys]);
  useLayoutEffect(() => {
    const gone = last.current;
    if (!gone || keys.includes(gone.key)) return;
    last.current = null;
    const focus = document.activeElement;
    if (focus && focus !== document.body && document.contains(focus)) return;
    const next = keys[Math.min(gone.index, keys.length - 1)];
    const row = next === undefined ? null : list.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(next)}"]`);
    if (row) row.focus();
    else fallback();
  }, [keys, list, fallback]);
}

/**
 * The connections as cards, virtualized: only the rows on screen are rendered, and a minute
 * passing re-renders only the time texts whose words changed, not their rows (row-time.tsx).
 */
export function ConnectionsList({ connections, keyRejected, paused, onEmptied }: { connections: readonly ConnectionView[]; keyRejected: boolean; paused: boolean; onEmptied: () => void }) {
  const list = useRef<HTMLUListElement>(null);
  const keys = useIds(connections);
  const virtual = useVirtualRows({ list, keys, estimate: ROW_ESTIMATE, gap: ROW_GAP });
  const shown = virtual.rows.map(({ item }) => connections[item.index]!);
  // The list owns the clock but never re-renders for it: each row's time texts read it (RowTime).
  const clock = useNowStore(watchedTimes(shown));
  useFocusStaysInList(list, keys, onEmptied);

  return (
    <RowClock.Provider value={clock}>
      <ul ref={list} className="connections" style={{ paddingTop: virtual.before, paddingBottom: virtual.after }} onFocus={virtual.onFocus} onBlur={virtual.onBlur}>
        {virtual.rows.map(({ item, jump }) => {
          const c = connections[item.index]!;
          return <ConnectionRow key={c.id} connection={c} keyRejected={keyRejected} paused={paused} position={item.index + 1} total={connections.length} index={item.index} measure={virtual.measure} jump={jump} />;
        })}
      </ul>
    </RowClock.Provider>
  );
}
