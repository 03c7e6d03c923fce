import { memo } from 'react';
import type { ConnectionView } from '../../../preload/contract';
import { countRender } from '../components/render-probe';
import { ConnectionCard } from './connection-card';

export interface RowProps {
  readonly connection: ConnectionView;
  readonly keyRejected: boolean;
  readonly paused: boolean;
  /** Place in the whole list (1-based), for screen readers: only some rows are in the DOM. */
  readonly position: number;
  readonly total: number;
  /** The row's index for the virtualizer, its measuring ref, and extra space above it. */
  readonly index: number;
  readonly measure: (element: HTMLElement | null) => void;
  readonly jump: number;
}

/** One connection of the list: its card, placed by the virtualizer. */
export const ConnectionRow = memo(function ConnectionRow({ connection, keyRejected, paused, position, total, index, measure, jump }: RowProps) {
  countRender(`row:${connection.id}`);
  return (
    <li
      ref={measure}
      data-index={index}
      data-key={connection.id}
      className="connection"
      aria-label={connection.label}
      aria-posinset={position}
      aria-setsize={total}
      tabIndex={-1}
      style={jump > 0 ? { marginTop: jump } : undefined}
    >
      <ConnectionCard connection={connection} keyRejected={keyRejected} paused={paused} />
    </li>
  );
}, sameRow);

/**
 * Pushes bring fresh objects (a whole snapshot) or keep unchanged ones (deltas): either way a row
 * re-renders only when something it shows changed. Its clock-bound texts are RowTime children
 * that follow the list's clock on their own, so a minute passing never re-renders the row.
 */
function sameRow(a: RowProps, b: RowProps): boolean {
  if (a.keyRejected !== b.keyRejected || a.paused !== b.paused || a.position !== b.position || a.total !== b.total || a.index !== b.index || a.measure !== b.measure || a.jump !== b.jump) return false;
  return sameConnection(a.connection, b.connection);
}

export function sameConnection(x: ConnectionView, y: ConnectionView): boolean {
  if (x === y) return true;
  const keys = Object.keys(x) as Array<keyof ConnectionView>;
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}
