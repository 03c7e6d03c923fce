import { Fragment, memo, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ConnectionView } from '../../../preload/contract';
import { countRender } from '../components/render-probe';
import { StatusBadge } from '../components/status-badge';
import { absoluteTime, relativeTime } from '../components/time';
import { useNow } from '../components/use-now';
import { useIds, useVirtualRows } from '../components/use-virtual-rows';
import { instanceHost, sortConnections, type Sort, type SortColumn } from './connection-order';

const COLUMNS: ReadonlyArray<{ id: SortColumn; label: string }> = [
  { id: 'name', label: 'Name' },
  { id: 'user', label: 'User' },
  { id: 'instance', label: 'Instance' },
  { id: 'mode', label: 'Mode' },
  { id: 'state', label: 'State' },
  { id: 'verified', label: 'Last verified' },
];
const MODE_WORDS: Record<ConnectionView['mode'], string> = { internal: 'Data2CRM sign-in', external: 'Own connected app', manual: 'Pasted tokens' };
const ROW_ESTIMATE = 41;

interface TableRowProps {
  readonly connection: ConnectionView;
  readonly keyRejected: boolean;
  readonly paused: boolean;
  readonly verified: string;
  readonly index: number;
  readonly measure: (element: HTMLElement | null) => void;
  readonly onShow: (id: string) => void;
}

/** Addresses wrap where people read a break (after "@", before a "."), never mid-word. */
function breakable(text: string): ReactNode {
  return text.split(/(?=\.)|(?<=@)/).map((part, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}

/** One line per connection, like `sf org list`; the name opens its card (actions, details). */
const TableRow = memo(function TableRow({ connection: c, keyRejected, paused, verified, index, measure, onShow }: TableRowProps) {
  countRender(`row:${c.id}`);
  return (
    <tr ref={measure} data-index={index} data-key={c.id} aria-rowindex={index + 2}>
      <td data-label="Name">
        <button type="button" className="link" onClick={() => onShow(c.id)} aria-label={`${c.label}: show actions and details`}>
          {c.label}
        </button>
      </td>
      <td data-label="User">{breakable(c.username ?? '—')}</td>
      <td data-label="Instance">{breakable(instanceHost(c.instanceUrl))}</td>
      <td data-label="Mode">{MODE_WORDS[c.mode]}</td>
      <td data-label="State">
        <StatusBadge status={c.status} keyRejected={keyRejected} paused={paused} mode={c.mode} />
      </td>
      <td data-label="Last verified" title={c.lastVerifiedAt === null ? undefined : absoluteTime(c.lastVerifiedAt)}>
        {verified}
      </td>
    </tr>
  );
}, sameTableRow);

function sameTableRow(a: TableRowProps, b: TableRowProps): boolean {
  if (a.keyRejected !== b.keyRejected || a.paused !== b.paused || a.verified !== b.verified || a.index !== b.index || a.measure !== b.measure || a.onShow !== b.onShow) return false;
  const x = a.connection;
  const y = b.connection;
  return x === y || (x.label === y.label && x.username === y.username && x.instanceUrl === y.instanceUrl && x.mode === y.mode && x.status === y.status && x.lastVerifiedAt === y.lastVerifiedAt);
}

/** A spacer standing for rows not rendered (hidden from screen readers, which count aria-rowcount). */
const Spacer = ({ height }: { height: number }) =>
  height > 0 ? (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={COLUMNS.length} style={{ height }} />
    </tr>
  ) : null;

/**
 * Many connections at a glance: one line each, sortable, needs-you first by default, virtualized
 * like the list. Reflows into one block per connection in narrow windows and at high zoom.
 */
export function ConnectionsTable({ connections, keyRejected, paused, onShow }: { connections: readonly ConnectionView[]; keyRejected: boolean; paused: boolean; onShow: (id: string) => void }) {
  const [sort, setSort] = useState<Sort>({ column: 'state', descending: false });
  const sorted = useMemo(() => sortConnections(connections, sort), [connections, sort]);
  const body = useRef<HTMLTableSectionElement>(null);
  const keys = useIds(sorted);
  const virtual = useVirtualRows({ list: body, keys, estimate: ROW_ESTIMATE });
  const now = useNow(virtual.rows.map(({ item }) => sorted[item.index]!.lastVerifiedAt));
  const sortedBy = COLUMNS.find((c) => c.id === sort.column)!.label;
  return (
    <table className="connections-table" aria-rowcount={sorted.length + 1}>
      <caption className="visually-hidden">
        Connections, sorted by {sort.column === 'state' && !sort.descending ? 'state, needs you first' : `${sortedBy.toLowerCase()}${sort.descending ? ', descending' : ''}`}
      </caption>
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
      <tbody ref={body} onFocus={virtual.onFocus} onBlur={virtual.onBlur}>
        <Spacer height={virtual.before} />
        {virtual.rows.map(({ item, jump }) => {
          const c = sorted[item.index]!;
          return [jump > 0 ? <Spacer key={`gap-${c.id}`} height={jump} /> : null, <TableRow key={c.id} connection={c} keyRejected={keyRejected} paused={paused} verified={relativeTime(c.lastVerifiedAt, now)} index={item.index} measure={virtual.measure} onShow={onShow} />];
        })}
        <Spacer height={virtual.after} />
      </tbody>
    </table>
  );
}
