import { useEffect, useRef } from 'react';
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
 * The connections as cards, virtualized: only the rows on screen are rendered, and a minute
 * passing re-renders only the time texts whose words changed, not their rows (row-time.tsx).
 * `reveal` scrolls to a connection and moves keyboard focus to it (coming from the table).
 */
export function ConnectionsList({ connections, keyRejected, paused, reveal, onRevealed }: { connections: readonly ConnectionView[]; keyRejected: boolean; paused: boolean; reveal: string | null; onRevealed: () => void }) {
  const list = useRef<HTMLUListElement>(null);
  const keys = useIds(connections);
  const virtual = useVirtualRows({ list, keys, estimate: ROW_ESTIMATE, gap: ROW_GAP });
  const shown = virtual.rows.map(({ item }) => connections[item.index]!);
  // The list owns the clock but never re-renders for it: each row's time texts read it (RowTime).
  const clock = useNowStore(watchedTimes(shown));

  const revealIndex = reveal === null ? -1 : keys.indexOf(reveal);
  const { scrollToIndex } = virtual;
  useEffect(() => {
    if (revealIndex >= 0) scrollToIndex(revealIndex);
  }, [revealIndex, scrollToIndex]);
  // Once the revealed row is rendered, focus it (a screen reader then reads its name).
  useEffect(() => {
    if (reveal === null) return;
    const row = list.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(reveal)}"]`);
    if (!row) return;
    row.focus({ preventScroll: true });
    onRevealed();
  });

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
