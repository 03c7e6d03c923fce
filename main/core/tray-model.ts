import type { ConnectionView, Snapshot, StateHeader, StorageProblem } from '../../preload/contract.js';
import { connectionStateForm, connectionStateLine, instanceHostOf, needsYouHere, pastesNewTokens, stateLineChangesAt } from '../../shared/state-words.js';
import { urgencyOfConnection } from './app-summary.js';
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
  | { type: 'disconnect'; connectionId: string }
  /** The connection's dialog, to finish (receipt) or cancel a hand-over under way. */
  | { type: 'handover'; connectionId: string };

export type TrayMenuItem =
  | { kind: 'header'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: string; label: string; enabled: boolean; action: TrayAction; checked?: boolean }
  | { kind: 'submenu'; id: string; label: string; items: readonly TrayMenuItem[]; enabled?: boolean };

export interface TrayModel {
  readonly icon: AppStatus;
  readonly tooltip: string;
  readonly items: readonly TrayMenuItem[];
  /**
   * When the labels' words next change, on a minute mark: every row whose relative time ("verified
   * 4 min ago") moved during the minute changes then, together (one rebuild of the native menu a
   * minute at most, not one per row at its own phase; a time may so lag by under a minute).
   * Null: nothing shown changes with time.
   */
  readonly nextChangeAt: number | null;
  /** Everything the menu shows but the rows' time words and their passing checks (see timesOnlyChanged). */
  readonly timeless: string;
}

export interface TrayConnection {
  readonly id: string;
  readonly label: string;
  readonly status: ConnectionStatus;
  readonly mode?: ConnectionView['mode'];
  readonly newTokensBy?: ConnectionView['newTokensBy'];
  readonly busy: boolean;
  readonly lastVerifiedAt: number | null;
  /** Estimated access-token expiry (external mode), when known. */
  readonly expiresAt: number | null;
  /** The next automatic run (a retry's time), when planned. */
  readonly nextRunAt: number | null;
  readonly hasApplicationKey: boolean;
  /** Where the org lives ("acme.my.salesforce.com"); it follows Salesforce when the org moves. */
  readonly instanceHost?: string;
  /** Handed over: the keeper that renews it (this app does not). */
  readonly keptBy?: ConnectionView['keptBy'];
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
  /** Why the state database refuses writes, if it does ('newer': nothing can be connected, paused or resumed). */
  readonly stateDatabase?: StorageProblem | null;
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
// A connection kept by a keeper is the keeper's to renew: its row never asks for the user here.
const rowLabel = (c: TrayConnection, line: string) => `${needsYouHere(c) ? '⚠ ' : ''}${shortName(c.label)} — ${line}`;

function connectionMenu(c: TrayConnection, now: number, serviceKeyRejected: boolean, paused: boolean): TrayMenuItem {
  // A connection kept by a keeper is the keeper's to renew: nothing here refreshes or re-authorizes it.
  const needsUser = needsYouHere(c);
  const gone = c.status === 'disconnecting' || Boolean(c.keptBy);
  return {
    kind: 'submenu',
    id: `connection:${c.id}`,
    label: rowLabel(c, connectionStateLine(c, now, { serviceKeyRejected, paused })),
    items: [
      // The fix for a deleted application comes first, where the eye lands.
      ...(c.status === 'application-deleted' && !c.keptBy ? [{ kind: 'action', id: `register:${c.id}`, label: 'Register again…', enabled: true, action: { type: 'register-again', connectionId: c.id } } as const] : []),
      // Where the org lives, said before the other actions (it follows an instance move).
      ...(c.instanceHost ? [{ kind: 'action', id: `instance:${c.id}`, label: `Instance: ${c.instanceHost}`, enabled: false, action: { type: 'open-in-salesforce', connectionId: c.id } } as const] : []),
      // Also while the user key is rejected (as in the windows): a refresh that gets through shows the key works again.
      { kind: 'action', id: `refresh:${c.id}`, label: 'Refresh now', enabled: !needsUser && !gone && !c.busy, action: { type: 'refresh-now', connectionId: c.id } },
      // For pasted tokens "re-authorize" means pasting new ones: say so.
      { kind: 'action', id: `reauthorize:${c.id}`, label: pastesNewTokens(c) ? 'Paste new tokens…' : 'Re-authorize…', enabled: !gone, action: { type: 'reauthorize', connectionId: c.id } },
      { kind: 'action', id: `copy:${c.id}`, label: 'Copy application key', enabled: c.hasApplicationKey, action: { type: 'copy-application-key', connectionId: c.id } },
      { kind: 'action', id: `open:${c.id}`, label: 'Open in Salesforce', enabled: !gone, action: { type: 'open-in-salesforce', connectionId: c.id } },
      // A hand-over under way: nobody renews it until the dialog finishes (receipt) or cancels it.
      // (A new one starts in the dialog, which Re-authorize… opens; a kept one is the keeper's to hand back.)
      ...(c.keptBy?.pending ? [{ kind: 'action', id: `handover:${c.id}`, label: 'Finish or cancel the hand-over…', enabled: true, action: { type: 'handover', connectionId: c.id } } as const] : []),
      { kind: 'separator' },
      { kind: 'action', id: `disconnect:${c.id}`, label: 'Disconnect…', enabled: !c.keptBy, action: { type: 'disconnect', connectionId: c.id } },
    ],
  };
}

/** Connection rows the menu shows at most: a native menu with thousands of items is unusable (and slow to build). */
// 12 rows of 7 native items each (the row and its submenu of 5 actions and a separator), with the
// rest (header, "N more…", Connect, Pause and its 2, Settings, Open at login, Help, About, Quit,
// separators): 99 native items in all at 13 connections or more.
export const TRAY_CONNECTION_ROWS = 12;

/** Those needing the user first, then those with a problem, then the rest, each group in its own order. */
const urgency = (c: TrayConnection) => urgencyOfConnection(c);

const totalOf = (state: TrayState) => state.connectionCount ?? state.connections.length;

/** The connections the menu has rows for, in the menu's order. */
const shownConnections = (state: TrayState) => [...state.connections].sort((a, b) => urgency(a) - urgency(b)).slice(0, TRAY_CONNECTION_ROWS);

function connectionRows(state: TrayState): TrayMenuItem[] {
  if (!state.connections.length) return [];
  const shown = shownConnections(state).map((c) => connectionMenu(c, state.now, state.serviceKeyRejected, state.paused));
  const more = totalOf(state) - shown.length;
  return [{ kind: 'separator' }, ...shown, ...(more > 0 ? [{ kind: 'action', id: 'more', label: `${more} more… → Settings`, enabled: true, action: { type: 'open-settings' } } as const] : [])];
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The first minute mark (a whole minute of the wall clock) after `now`. */
export const nextMinuteMark = (now: number): number => Math.floor(now / MIN) * MIN + MIN;
/** `at` itself when on a mark, else the mark after it. */
const onMark = (at: number): number => Math.ceil(at / MIN) * MIN;

/** The rows' labels with their time words left out, by item id. */
function rowForms(state: TrayState): Map<string, string> {
  const context = { serviceKeyRejected: state.serviceKeyRejected, paused: state.paused };
  return new Map(shownConnections(state).map((c) => [`connection:${c.id}`, rowLabel(c, connectionStateForm(c, state.now, context))]));
}

/**
 * True when two models differ only in the words of relative times and in rows being checked for
 * a moment (a check that verified a row again): the tray then shows it with the next minute mark,
 * together with every other time.
 */
export function timesOnlyChanged(shown: TrayModel, next: TrayModel): boolean {
  return shown.timeless === next.timeless;
}

/**
 * The next moment any row's words change ("verified 4 min ago" → "5 min ago"), or null when no row
 * shows a relative time: the tray arms one timer for it (Linux menus have no "will open" event).
 */
export function nextLabelChangeAt(state: TrayState): number | null {
  const times = shownConnections(state).flatMap((c) => stateLineChangesAt(c, state.now, { serviceKeyRejected: state.serviceKeyRejected, paused: state.paused }) ?? []);
  return times.length ? Math.min(...times) : null;
}

/** Help, About and Quit: the end of every menu. */
const appItems = (app: { productName: string; version: string }): TrayMenuItem[] => [
  { kind: 'action', id: 'help', label: 'Help', enabled: true, action: { type: 'help' } },
  { kind: 'action', id: 'about', label: `About ${app.productName} ${app.version}`, enabled: true, action: { type: 'about' } },
  { kind: 'separator' },
  { kind: 'action', id: 'quit', label: `Quit ${app.productName}`, enabled: true, action: { type: 'quit' } },
];

/** Connect, and Pause or Resume: nothing to offer while the database is a newer version's (nothing could be recorded). */
function keepAliveItems(state: TrayState): TrayMenuItem[] {
  if (state.stateDatabase === 'newer') return [];
  return [
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
  ];
}

/** Compute, then render: the tray adapter only turns this model into a native menu. */
export function buildTrayModel(state: TrayState): TrayModel {
  const tooltip = `${state.productName}: ${state.summary}`;
  const next = nextLabelChangeAt(state);
  let timeless: string | null = null;
  return {
    icon: state.status,
    tooltip,
    nextChangeAt: next === null ? null : onMark(next),
    items: menuItems(state),
    // Built only when asked (the presenter asks only when the items differ from those shown), once.
    get timeless() {
      return (timeless ??= timelessKey(state, tooltip));
    },
  };
}

/**
 * The menu as it would read with every row's time words left out and no row busy: a check that
 * runs ("refreshing…" for a moment) and verifies a row again changes nothing here, so the tray
 * shows it with the next minute mark; a change of state, a new row or anything else changes it.
 */
function timelessKey(state: TrayState, tooltip: string): string {
  const calm = state.connections.some((c) => c.busy) ? { ...state, connections: state.connections.map((c) => (c.busy ? { ...c, busy: false } : c)) } : state;
  const forms = rowForms(calm);
  return JSON.stringify([state.status, tooltip, menuItems(calm).map((item) => (item.kind === 'submenu' && forms.has(item.id) ? { ...item, label: forms.get(item.id) } : item))]);
}

function menuItems(state: TrayState): TrayMenuItem[] {
  return [
    { kind: 'header', label: state.summary },
    // Nothing is kept alive while Data2CRM refuses the key: its fix sits right under the header.
    ...(state.serviceKeyRejected ? [{ kind: 'action', id: 'replace-key', label: 'Replace user key…', enabled: true, action: { type: 'open-account' } } as const] : []),
    ...connectionRows(state),
    { kind: 'separator' },
    ...keepAliveItems(state),
    { kind: 'action', id: 'settings', label: 'Settings…', enabled: true, action: { type: 'open-settings' } },
    { kind: 'action', id: 'open-at-login', label: 'Open at login', enabled: true, checked: Boolean(state.openAtLogin), action: { type: 'set-open-at-login', enabled: !state.openAtLogin } },
    { kind: 'separator' },
    ...appItems(state),
  ];
}

/**
 * Before anything else has started (startup waits for the state database): why, and only what
 * works without the rest of the app (no window can open yet).
 */
export function startingTrayModel(app: { productName: string; version: string }, summary: string): TrayModel {
  const tooltip = `${app.productName}: ${summary}`;
  const items: TrayMenuItem[] = [{ kind: 'header', label: summary }, { kind: 'separator' }, ...appItems(app)];
  return { icon: 'attention', tooltip, nextChangeAt: null, items, timeless: JSON.stringify(['attention', tooltip, items]) };
}

/** A view as a tray row. */
export const trayConnectionOf = (c: ConnectionView): TrayConnection => ({ id: c.id, label: c.label, status: c.status, mode: c.mode, newTokensBy: c.newTokensBy, busy: c.busy, lastVerifiedAt: c.lastVerifiedAt, expiresAt: c.expiresAt, nextRunAt: c.nextRunAt, hasApplicationKey: c.applicationKeyFingerprint !== null, instanceHost: instanceHostOf(c.instanceUrl), ...(c.keptBy ? { keptBy: c.keptBy } : {}) });

/** The tray shows exactly what the windows show: its state comes from the same header and views. */
export function trayStateOf(header: Pick<StateHeader, 'status' | 'summary' | 'paused' | 'serviceKeyRejected' | 'stateDatabase'>, views: readonly ConnectionView[], app: { productName: string; version: string }, now: number, options: { openAtLogin?: boolean | undefined; connectionCount?: number } = {}): TrayState {
  return {
    ...app,
    ...(options.openAtLogin === undefined ? {} : { openAtLogin: options.openAtLogin }),
    ...(options.connectionCount === undefined ? {} : { connectionCount: options.connectionCount }),
    status: header.status,
    summary: header.summary,
    paused: header.paused,
    serviceKeyRejected: header.serviceKeyRejected,
    ...(header.stateDatabase ? { stateDatabase: header.stateDatabase.problem } : {}),
    now,
    connections: views.map(trayConnectionOf),
  };
}

/** From a whole snapshot (tests and tools; the app passes the app service's few urgent rows). */
export const trayStateFrom = (snapshot: Snapshot, app: { productName: string; version: string }, now: number, openAtLogin?: boolean): TrayState => trayStateOf(snapshot, snapshot.connections, app, now, { openAtLogin });
