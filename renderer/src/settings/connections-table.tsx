import { memo, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ConnectionView } from '../../../preload/contract';
import { pastesNewTokens } from '../../../shared/state-words';
import { MODE_NAMES } from '../components/mode-names';
import { countRender } from '../components/render-probe';
import { StatusBadge } from '../components/status-badge';
import { absoluteTime, relativeTime } from '../components/time';
import { useNow, useNowStore } from '../components/use-now';
import { useIds, useVirtualRows } from '../components/use-virtual-rows';
import { ConnectionCard } from './connection-card';
import { instanceHost, sortConnections, type Sort, type SortColumn } from './connection-order';
import { sameConnection } from './connection-row';
import { RowClock } from './row-time';
import { watchedTimes } from './row-times';

const COLUMNS: ReadonlyArray<{ id: SortColumn; label: string }> = [
  { id: 'name', label: 'Name' },
  { id: 'user', label: 'User' },
  { id: 'instance', label: 'Instance' },
  { id: 'mode', label: 'Mode' },
  { id: 'state', label: 'State' },
  { id: 'verified', label: 'Last verified' },
];
const ROW_ESTIMATE = 33;

interface TableRowProps {
  readonly connection: ConnectionView;
  readonly keyRejected: boolean;
  readonly paused: boolean;
  readonly verified: string;
  readonly index: number;
  readonly open: boolean;
  readonly measure: (element: HTMLElement | null) => void;
  readonly onToggle: (id: string) => void;
}

/** A cell of one line: a long value ends in "…", the whole of it on hover (and when the row has focus). */
function Cell({ label, text }: { label: string; text: string }) {
  return (
    <td data-label={label} title={text}>
      <span className="cell-text">{text}</span>
    </td>
  );
}

/**
 * One line per connection, like `sf org list`; the name opens the connection's card right under
 * its line (Escape closes it again), so the table stays where it was.
 */
const TableRow = memo(function TableRow({ connection: c, keyRejected, paused, verified, index, open, measure, onToggle }: TableRowProps) {
  countRender(`row:${c.id}`);
  const name = useRef<HTMLButtonElement>(null);
  const close = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    onToggle(c.id);
    name.current?.focus();
  };
  return (
    // One body per connection: its line and, when opened, its card (measured together).
    <tbody ref={measure} data-index={index} data-key={c.id} className={open ? 'opened' : undefined}>
      <tr aria-rowindex={index + 2}>
        <td data-label="Name" title={c.label}>
          <button ref={name} type="button" className="link cell-text" onClick={() => onToggle(c.id)} aria-expanded={open} aria-controls={open ? `card-${c.id}` : undefined}>
            {c.label}
          </button>
        </td>
        <Cell label="User" text={c.username ?? '—'} />
        <Cell label="Instance" text={instanceHost(c.instanceUrl)} />
        <Cell label="Mode" text={MODE_NAMES[c.mode]} />
        <td data-label="State">
          <StatusBadge status={c.status} keyRejected={keyRejected} paused={paused} pastes={pastesNewTokens(c)} titled />
        </td>
        <td data-label="Last verified" title={c.lastVerifiedAt === null ? undefined : absoluteTime(c.lastVerifiedAt)}>
          <span className="cell-text">{verified}</span>
        </td>
      </tr>
      {open && (
        <tr className="card-row">
          <td colSpan={COLUMNS.length}>
            <div className="connection" id={`card-${c.id}`} role="group" aria-label={c.label} onKeyDown={close}>
              <ConnectionCard connection={c} keyRejected={keyRejected} paused={paused} />
            </div>
          </td>
        </tr>
      )}
    </tbody>
  );
}, sameTableRow);

function sameTableRow(a: TableRowProps, b: TableRowProps): boolean {
  if (a.keyRejected !== b.keyRejected || a.paused !== b.paused || a.verified !== b.verified || a.index !== b.index || a.open !== b.open || a.measure !== b.measure || a.onToggle !== b.onToggle) return false;
  const x = a.connection;
  const y = b.connection;
  // An opened row shows the whole card: any change counts; a closed one only its line's values.
  if (a.open) return sameConnection(x, y);
  return x === y || (x.label === y.label && x.username === y.username && x.instanceUrl === y.instanceUrl && x.mode === y.mode && x.status === y.status && x.lastVerifiedAt === y.lastVerifiedAt);
}

/** Space standing for rows not rendered (hidden from screen readers, which count aria-rowcount). */
const Spacer = ({ height }: { height: number }) => (
  <tbody aria-hidden="true" className="spacer">
    <tr>
      <td colSpan={COLUMNS.length} style={{ height }} />
    </tr>
  </tbody>
);

/**
 * Many connections at a glance: one line each, sortable, needs-you first by default, virtualized
 * like the list. Reflows into one block per connection in narrow windows and at high zoom.
 */
export function ConnectionsTable({ connections, keyRejected, paused }: { connections: readonly ConnectionView[]; keyRejected: boolean; paused: boolean }) {
  const [sort, setSort] = useState<Sort>({ column: 'state', descending: false });
  const [openId, setOpenId] = useState<string | null>(null);
  const sorted = useMemo(() => sortConnections(connections, sort), [connections, sort]);
  const start = useRef<HTMLTableSectionElement>(null);
  const keys = useIds(sorted);
  const virtual = useVirtualRows({ list: start, keys, estimate: ROW_ESTIMATE });
  const now = useNow(virtual.rows.map(({ item }) => sorted[item.index]!.lastVerifiedAt));
  const opened = openId === null ? undefined : sorted.find((c) => c.id === openId);
  // The opened card's own times (its state line, its details) follow their own clock.
  const cardClock = useNowStore(opened ? watchedTimes([opened]) : []);
  const toggle = useMemo(() => (id: string) => setOpenId((current) => (current === id ? null : id)), []);
  const sortedBy = COLUMNS.find((c) => c.id === sort.column)!.label;
  return (
    <RowClock.Provider value={cardClock}>
      <table className="connections-table" aria-rowcount={sorted.length + 1} onFocus={virtual.onFocus} onBlur={virtual.onBlur}>
        <caption className="visually-hidden">
          Connections, sorted by {sort.column === 'state' && !sort.descending ? 'state, needs you first' : `${sortedBy.toLowerCase()}${sort.descending ? ', descending' : ''}`}
        </caption>
        <colgroup>
          <col className="col-name" />
          <col className="col-user" />
          <col className="col-instance" />
          <col className="col-mode" />
          <col className="col-state" />
          <col className="col-verified" />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((col) => (
              <th key={col.id} scope="col" aria-sort={sort.column === col.id ? (sort.descending ? 'descending' : 'ascending') : undefined}>
                <button type="button" className="sort" onClick={() => setSort((s) => ({ column: col.id, descending: s.column === col.id ? !s.descending : false }))}>
                  {col.label}
                  <span aria-hidden="true">{sort.column === col.id ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={start} aria-hidden="true" className="spacer">
          <tr>
            <td colSpan={COLUMNS.length} style={{ height: virtual.before }} />
          </tr>
        </tbody>
        {virtual.rows.map(({ item, jump }) => {
          const c = sorted[item.index]!;
          return [
            jump > 0 ? <Spacer key={`gap-${c.id}`} height={jump} /> : null,
            <TableRow key={c.id} connection={c} keyRejected={keyRejected} paused={paused} verified={relativeTime(c.lastVerifiedAt, now)} index={item.index} open={c.id === openId} measure={virtual.measure} onToggle={toggle} />,
          ];
        })}
        {virtual.after > 0 && <Spacer height={virtual.after} />}
      </table>
    </RowClock.Provider>
  );
}
