import type { ConnectionView, Snapshot, StateHeader } from '../../preload/contract.js';
import { connectionStateLine, needsUser as userMustAct, stateLineChangesAt } from '../../shared/state-words.js';
import { urgencyOf } from './app-summary.js';
import type { AppState, AppStatus } from './app-status.js';
import type { ConnectionStatus } from './settings/schema.js';

/** What a menu item does; the tray adapter maps each action to a call and nothing else. */
export type TrayAction =
  | { type: 'open-settings' }
  | { type: 'quit' }
  | { type: 'connect' }
  /** forMs: resume on its own after that long; absent: until resumed. */
  | { type: 'pause'; forMs?: number }
  | { type: 'about' }
  | { type: 'help' }
  | { type: 'set-open-at-login'; enabled: boolean }
  | { type: 'resume' }
  /** Settings → Account, where a rejected user key is replaced. */
  | { type: 'open-account' }
  | { type: 'refresh-now'; connectionId: string }
  /** The connection's dialog, which registers a deleted application again. */
  | { type: 'register-again'; connectionId: string }
  | { type: 'reauthorize'; connectionId: string }
  | { type: 'copy-application-key'; connectionId: string }
  | { type: 'open-in-salesforce'; connectionId: string }
  | { type: 'disconnect'; connectionId: string };

export type TrayMenuItem =
  | { kind: 'header'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: string; label: string; enabled: boolean; action: TrayAction; checked?: boolean }
  | { kind: 'submenu'; id: string; label: string; items: readonly TrayMenuItem[]; enabled?: boolean };

export interface TrayModel {
  readonly icon: AppStatus;
  readonly tooltip: string;
  readonly items: readonly TrayMenuItem[];
  /** When a label's words next change (a relative time); null: nothing shown changes with time. */
  readonly nextChangeAt: number | null;
}

export interface TrayConnection {
  readonly id: string;
  readonly label: string;
  readonly status: ConnectionStatus;
  readonly mode?: ConnectionView['mode'];
  readonly busy: boolean;
  readonly lastVerifiedAt: number | null;
  /** Estimated access-token expiry (external mode), when known. */
  readonly expiresAt: number | null;
  /** The next automatic run (a retry's time), when planned. */
  readonly nextRunAt: number | null;
  readonly hasApplicationKey: boolean;
}

export interface TrayState extends AppState {
  /** The rows to pick from: all connections, or (from the app service) only the most urgent few. */
  readonly connections: readonly TrayConnection[];
  /** How many connections there are in all, when `connections` holds only some. */
  readonly connectionCount?: number;
  /** Data2CRM rejected the user key: nothing can be refreshed until it is replaced. */
  readonly serviceKeyRejected: boolean;
  readonly paused: boolean;
  readonly now: number;
  /** The "Open at login" toggle's state (the OS login item). */
  readonly openAtLogin?: boolean;
}

/** One wording for the tray and the windows (shared/state-words.ts). */
export { connectionStateLine };

/** Longest name a row shows whole: native menus do not wrap, and a 100-character name hides the state. */
export const TRAY_NAME_CHARS = 40;

/** "A very long connection name that goes…": cut at a word break when one is near, never mid-character. */
export function shortName(label: string, max = TRAY_NAME_CHARS): string {
  const chars = [...label];
  if (chars.length <= max) return label;
  const cut = chars.slice(0, max - 1).join('');
  // The cut ends a word already, or falls in one: then back to the word's start when that is near.
  const space = chars[max - 1] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return `${(space >= max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function connectionMenu(c: TrayConnection, now: number, serviceKeyRejected: boolean, paused: boolean): TrayMenuItem {
  const needsUser = userMustAct(c.status);
  const gone = c.status === 'disconnecting';
  return {
    kind: 'submenu',
    id: `connection:${c.id}`,
    label: `${needsUser ? '⚠ ' : ''}${shortName(c.label)} — ${connectionStateLine(c, now, { serviceKeyRejected, paused })}`,
    items: [
      // The fix for a deleted application comes first, where the eye lands.
      ...(c.status === 'application-deleted' ? [{ kind: 'action', id: `register:${c.id}`, label: 'Register again…', enabled: true, action: { type: 'register-again', connectionId: c.id } } as const] : []),
      { kind: 'action', id: `refresh:${c.id}`, label: serviceKeyRejected ? 'Refresh now (user key rejected)' : 'Refresh now', enabled: !needsUser && !gone && !c.busy && !serviceKeyRejected, action: { type: 'refresh-now', connectionId: c.id } },
      // For pasted tokens "re-authorize" means pasting new ones: say so.
      { kind: 'action', id: `reauthorize:${c.id}`, label: c.mode === 'manual' ? 'Paste new tokens…' : 'Re-authorize…', enabled: !gone, action: { type: 'reauthorize', connectionId: c.id } },
      { kind: 'action', id: `copy:${c.id}`, label: 'Copy application key', enabled: c.hasApplicationKey, action: { type: 'copy-application-key', connectionId: c.id } },
      { kind: 'action', id: `open:${c.id}`, label: 'Open in Salesforce', enabled: !gone, action: { type: 'open-in-salesforce', connectionId: c.id } },
      { kind: 'separator' },
      { kind: 'action', id: `disconnect:${c.id}`, label: 'Disconnect…', enabled: true, action: { type: 'disconnect', connectionId: c.id } },
    ],
  };
}

/** Connection rows the menu shows at most: a native menu with thousands of items is unusable (and slow to build). */
// 12 keeps the whole menu within about 25 items next to Connect, Pause, About, Help, Open at login and Quit.
export const TRAY_CONNECTION_ROWS = 12;

/** Those needing the user first, then those with a problem, then the rest, each group in its own order. */
const urgency = (c: TrayConnection) => urgencyOf(c.status);

const totalOf = (state: TrayState) => state.connectionCount ?? state.connections.length;

/** The connections the menu has rows for, in the menu's order. */
const shownConnections = (state: TrayState) => [...state.connections].sort((a, b) => urgency(a) - urgency(b)).slice(0, TRAY_CONNECTION_ROWS);

function connectionRows(state: TrayState): TrayMenuItem[] {
  if (!state.connections.length) return [];
  const shown = shownConnections(state).map((c) => connectionMenu(c, state.now, state.serviceKeyRejected, state.paused));
  const more = totalOf(state) - shown.length;
  return [{ kind: 'separator' }, ...shown, ...(more > 0 ? [{ kind: 'action', id: 'more', label: `${more} more… → Settings`, enabled: true, action: { type: 'open-settings' } } as const] : [])];
}

const HOUR = 3_600_000;

/**
 * The next moment any row's words change ("verified 4 min ago" → "5 min ago"), or null when no row
 * shows a relative time: the tray arms one timer for it (Linux menus have no "will open" event).
 */
export function nextLabelChangeAt(state: TrayState): number | null {
  const times = shownConnections(state).flatMap((c) => stateLineChangesAt(c, state.now, { serviceKeyRejected: state.serviceKeyRejected, paused: state.paused }) ?? []);
  return times.length ? Math.min(...times) : null;
}

/** Compute, then render: the tray adapter only turns this model into a native menu. */
export function buildTrayModel(state: TrayState): TrayModel {
  return {
    icon: state.status,
    tooltip: `${state.productName}: ${state.summary}`,
    nextChangeAt: nextLabelChangeAt(state),
    items: [
      { kind: 'header', label: state.summary },
      // Nothing is kept alive while Data2CRM refuses the key: its fix sits right under the header.
      ...(state.serviceKeyRejected ? [{ kind: 'action', id: 'replace-key', label: 'Replace user key…', enabled: true, action: { type: 'open-account' } } as const] : []),
      ...connectionRows(state),
      { kind: 'separator' },
      { kind: 'action', id: 'connect', label: 'Connect Salesforce org…', enabled: true, action: { type: 'connect' } },
      state.paused
        ? { kind: 'action', id: 'resume', label: 'Resume automatic refresh', enabled: true, action: { type: 'resume' } }
        : {
            kind: 'submenu',
            id: 'pause',
            label: 'Pause automatic refresh',
            enabled: totalOf(state) > 0,
            items: [
              { kind: 'action', id: 'pause-hour', label: 'For 1 hour', enabled: totalOf(state) > 0, action: { type: 'pause', forMs: HOUR } },
              { kind: 'action', id: 'pause-until-resumed', label: 'Until I resume', enabled: totalOf(state) > 0, action: { type: 'pause' } },
            ],
          },
      { kind: 'action', id: 'settings', label: 'Settings…', enabled: true, action: { type: 'open-settings' } },
      { kind: 'action', id: 'open-at-login', label: 'Open at login', enabled: true, checked: Boolean(state.openAtLogin), action: { type: 'set-open-at-login', enabled: !state.openAtLogin } },
      { kind: 'separator' },
      { kind: 'action', id: 'help', label: 'Help', enabled: true, action: { type: 'help' } },
      { kind: 'action', id: 'about', label: `About ${state.productName} ${state.version}`, enabled: true, action: { type: 'about' } },
      { kind: 'separator' },
      { kind: 'action', id: 'quit', label: `Quit ${state.productName}`, enabled: true, action: { type: 'quit' } },
    ],
  };
}

/** A view as a tray row. */
export const trayConnectionOf = (c: ConnectionView): TrayConnection => ({ id: c.id, label: c.label, status: c.status, mode: c.mode, busy: c.busy, lastVerifiedAt: c.lastVerifiedAt, expiresAt: c.expiresAt, nextRunAt: c.nextRunAt, hasApplicationKey: c.applicationKeyFingerprint !== null });

/** The tray shows exactly what the windows show: its state comes from the same header and views. */
export function trayStateOf(header: Pick<StateHeader, 'status' | 'summary' | 'paused' | 'serviceKeyRejected'>, views: readonly ConnectionView[], app: { productName: string; version: string }, now: number, options: { openAtLogin?: boolean | undefined; connectionCount?: number } = {}): TrayState {
  return {
    ...app,
    ...(options.openAtLogin === undefined ? {} : { openAtLogin: options.openAtLogin }),
    ...(options.connectionCount === undefined ? {} : { connectionCount: options.connectionCount }),
    status: header.status,
    summary: header.summary,
    paused: header.paused,
    serviceKeyRejected: header.serviceKeyRejected,
    now,
    connections: views.map(trayConnectionOf),
  };
}

/** From a whole snapshot (tests and tools; the app passes the app service's few urgent rows). */
export const trayStateFrom = (snapshot: Snapshot, app: { productName: string; version: string }, now: number, openAtLogin?: boolean): TrayState => trayStateOf(snapshot, snapshot.connections, app, now, { openAtLogin });
