import type { Snapshot } from '../../preload/contract.js';
import type { AppState, AppStatus } from './app-status.js';
import type { ConnectionStatus } from './settings/schema.js';

/** What a menu item does; the tray adapter maps each action to a call and nothing else. */
export type TrayAction =
  | { type: 'open-settings' }
  | { type: 'quit' }
  | { type: 'connect' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'refresh-now'; connectionId: string }
  | { type: 'reauthorize'; connectionId: string }
  | { type: 'copy-application-key'; connectionId: string }
  | { type: 'open-in-salesforce'; connectionId: string }
  | { type: 'disconnect'; connectionId: string };

export type TrayMenuItem =
  | { kind: 'header'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: string; label: string; enabled: boolean; action: TrayAction }
  | { kind: 'submenu'; id: string; label: string; items: readonly TrayMenuItem[] };

export interface TrayModel {
  readonly icon: AppStatus;
  readonly tooltip: string;
  readonly items: readonly TrayMenuItem[];
}

export interface TrayConnection {
  readonly id: string;
  readonly label: string;
  readonly status: ConnectionStatus;
  readonly busy: boolean;
  readonly lastVerifiedAt: number | null;
  /** Estimated access-token expiry (external mode), when known. */
  readonly expiresAt: number | null;
  /** The next automatic run (a retry's time), when planned. */
  readonly nextRunAt: number | null;
  readonly hasApplicationKey: boolean;
}

export interface TrayState extends AppState {
  readonly connections: readonly TrayConnection[];
  /** Data2CRM rejected the user key: nothing can be refreshed until it is replaced. */
  readonly serviceKeyRejected: boolean;
  readonly paused: boolean;
  readonly now: number;
}

function ago(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} days ago`;
}

function within(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

const retryWhen = (nextRunAt: number | null, now: number) => (nextRunAt === null ? '…' : nextRunAt - now < 60_000 ? ' shortly' : ` in ${within(nextRunAt - now)}`);

/** "healthy · verified 4 min ago", "expires in 12 min", "expired 3 h ago", "retrying in 2 min", "needs re-authorization" … */
export function connectionStateLine(c: Pick<TrayConnection, 'status' | 'busy' | 'lastVerifiedAt' | 'expiresAt' | 'nextRunAt'>, now: number, serviceKeyRejected = false): string {
  if (c.busy) return 'refreshing…';
  if (serviceKeyRejected && c.status !== 'disconnecting') return 'stopped · Data2CRM rejected the user key';
  switch (c.status) {
    case 'needs-reauthorization':
      return 'needs re-authorization';
    case 'application-deleted':
      return 'deleted in Data2CRM';
    case 'retrying':
      return `retrying${retryWhen(c.nextRunAt, now)}`;
    case 'degraded':
      return `problem · retrying${retryWhen(c.nextRunAt, now)}`;
    case 'disconnecting':
      return 'disconnecting…';
    case 'paused':
      return 'paused';
    case 'connecting':
    case 'refreshing':
      return `${c.status}…`;
    case 'healthy':
      if (c.expiresAt !== null && c.expiresAt <= now) return `token expired ${ago(now - c.expiresAt)}`;
      if (c.expiresAt !== null) return `healthy · expires in ${within(c.expiresAt - now)}`;
      return c.lastVerifiedAt === null ? 'healthy' : `healthy · verified ${ago(now - c.lastVerifiedAt)}`;
  }
}

function connectionMenu(c: TrayConnection, now: number, serviceKeyRejected: boolean): TrayMenuItem {
  const needsUser = c.status === 'needs-reauthorization' || c.status === 'application-deleted';
  const gone = c.status === 'disconnecting';
  return {
    kind: 'submenu',
    id: `connection:${c.id}`,
    label: `${needsUser ? '⚠ ' : ''}${c.label} — ${connectionStateLine(c, now, serviceKeyRejected)}`,
    items: [
      { kind: 'action', id: `refresh:${c.id}`, label: serviceKeyRejected ? 'Refresh now (user key rejected)' : 'Refresh now', enabled: !needsUser && !gone && !c.busy && !serviceKeyRejected, action: { type: 'refresh-now', connectionId: c.id } },
      { kind: 'action', id: `reauthorize:${c.id}`, label: 'Re-authorize…', enabled: !gone, action: { type: 'reauthorize', connectionId: c.id } },
      { kind: 'action', id: `copy:${c.id}`, label: 'Copy application key', enabled: c.hasApplicationKey, action: { type: 'copy-application-key', connectionId: c.id } },
      { kind: 'action', id: `open:${c.id}`, label: 'Open in Salesforce', enabled: !gone, action: { type: 'open-in-salesforce', connectionId: c.id } },
      { kind: 'separator' },
      { kind: 'action', id: `disconnect:${c.id}`, label: 'Disconnect…', enabled: true, action: { type: 'disconnect', connectionId: c.id } },
    ],
  };
}

/** Connection rows the menu shows at most: a native menu with thousands of items is unusable (and slow to build). */
export const TRAY_CONNECTION_ROWS = 15;

/** Those needing the user first, then those with a problem, then the rest, each group in its own order. */
const urgency = (c: TrayConnection) => (c.status === 'needs-reauthorization' || c.status === 'application-deleted' ? 0 : c.status === 'retrying' || c.status === 'degraded' ? 1 : 2);

function connectionRows(state: TrayState): TrayMenuItem[] {
  if (!state.connections.length) return [];
  const ordered = [...state.connections].sort((a, b) => urgency(a) - urgency(b));
  const shown = ordered.slice(0, TRAY_CONNECTION_ROWS).map((c) => connectionMenu(c, state.now, state.serviceKeyRejected));
  const more = ordered.length - shown.length;
  return [{ kind: 'separator' }, ...shown, ...(more > 0 ? [{ kind: 'action', id: 'more', label: `${more} more… → Settings`, enabled: true, action: { type: 'open-settings' } } as const] : [])];
}

/** Compute, then render: the tray adapter only turns this model into a native menu. */
export function buildTrayModel(state: TrayState): TrayModel {
  return {
    icon: state.status,
    tooltip: `${state.productName}: ${state.summary}${state.paused ? ' (paused)' : ''}`,
    items: [
      { kind: 'header', label: state.paused ? `${state.summary} · paused` : state.summary },
      ...connectionRows(state),
      { kind: 'separator' },
      { kind: 'action', id: 'connect', label: 'Connect Salesforce org…', enabled: true, action: { type: 'connect' } },
      state.paused
        ? { kind: 'action', id: 'resume', label: 'Resume automatic refresh', enabled: true, action: { type: 'resume' } }
        : { kind: 'action', id: 'pause', label: 'Pause automatic refresh', enabled: state.connections.length > 0, action: { type: 'pause' } },
      { kind: 'action', id: 'settings', label: 'Settings…', enabled: true, action: { type: 'open-settings' } },
      { kind: 'separator' },
      { kind: 'action', id: 'quit', label: `Quit ${state.productName}`, enabled: true, action: { type: 'quit' } },
    ],
  };
}

/** The tray shows exactly what the windows show: its state comes from the same snapshot. */
export function trayStateFrom(snapshot: Snapshot, app: { productName: string; version: string }, now: number): TrayState {
  return {
    ...app,
    status: snapshot.status,
    summary: snapshot.summary,
    paused: snapshot.paused,
    serviceKeyRejected: snapshot.serviceKeyRejected,
    now,
    connections: snapshot.connections.map((c) => ({ id: c.id, label: c.label, status: c.status, busy: c.busy, lastVerifiedAt: c.lastVerifiedAt, expiresAt: c.expiresAt, nextRunAt: c.nextRunAt, hasApplicationKey: c.applicationKeyFingerprint !== null })),
  };
}
