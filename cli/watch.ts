/**
 * `watch`: one line per change until interrupted. A change is a connection added, removed,
 * renamed or moved to another state, or the app's own state (attention, paused, user key
 * rejected) changing; the times a check moves forward are not changes. The app sends the whole
 * state first and then every delta the windows get; this keeps the last of each and compares.
 */
import type { ConnectionView, StateDelta, StateHeader } from '../preload/contract.js';
import { connectionStateLine, needsUser } from '../shared/state-words.js';
import { iso, STATUS_SCHEMA_VERSION } from './status.js';

export type WatchLine =
  | { schemaVersion: number; type: 'connection'; change: 'added' | 'renamed' | 'state'; at: string; id: string; name: string; previousName?: string; state: ConnectionView['status']; previousState?: ConnectionView['status']; stateLine: string; needsYou: boolean; detail: string | null }
  | { schemaVersion: number; type: 'connection'; change: 'removed'; at: string; id: string; name: string }
  | { schemaVersion: number; type: 'app'; change: 'state'; at: string; status: StateHeader['status']; summary: string; paused: boolean; userKeyRejected: boolean };

type AppFields = Pick<StateHeader, 'status' | 'paused' | 'serviceKeyRejected'>;

export function createWatcher() {
  const views = new Map<string, ConnectionView>();
  let header: StateHeader | null = null;
  let started = false;

  const appChanged = (a: AppFields, b: AppFields) => a.status !== b.status || a.paused !== b.paused || a.serviceKeyRejected !== b.serviceKeyRejected;

  /** The lines for one delta; the first (the whole state) only sets what later ones compare with. */
  return function linesFor(delta: StateDelta, now: number): WatchLine[] {
    const lines: WatchLine[] = [];
    const at = iso(now)!;
    const first = !started;
    started = true;
    if (delta.reset) {
      const present = new Set(delta.upserts.map((c) => c.id));
      for (const [id, gone] of views) {
        if (present.has(id)) continue;
        views.delete(id);
        if (!first) lines.push({ schemaVersion: STATUS_SCHEMA_VERSION, type: 'connection', change: 'removed', at, id, name: gone.label });
      }
    }
    const next = delta.header ?? header;
    if (delta.header && header && !first && appChanged(header, delta.header)) lines.push({ schemaVersion: STATUS_SCHEMA_VERSION, type: 'app', change: 'state', at, status: delta.header.status, summary: delta.header.summary, paused: delta.header.paused, userKeyRejected: delta.header.serviceKeyRejected });
    header = next;
    const context = { serviceKeyRejected: header?.serviceKeyRejected ?? false, paused: header?.paused ?? false };
    for (const view of delta.upserts) {
      const before = views.get(view.id);
      views.set(view.id, view);
      if (first) continue;
      const base = { schemaVersion: STATUS_SCHEMA_VERSION, type: 'connection', at, id: view.id, name: view.label, state: view.status, stateLine: connectionStateLine(view, now, context), needsYou: needsUser(view.status), detail: view.statusDetail } as const;
      if (!before) lines.push({ ...base, change: 'added' });
      else if (before.status !== view.status) lines.push({ ...base, change: 'state', previousState: before.status });
      else if (before.label !== view.label) lines.push({ ...base, change: 'renamed', previousName: before.label });
    }
    for (const id of delta.removals) {
      const gone = views.get(id);
      views.delete(id);
      if (gone && !first) lines.push({ schemaVersion: STATUS_SCHEMA_VERSION, type: 'connection', change: 'removed', at, id, name: gone.label });
    }
    return lines;
  };
}

const clock = (at: string) => new Date(at).toTimeString().slice(0, 8);

/** "14:02:11  Prod  needs re-authorization", "14:03:40  Prod  renamed (was Production)", "14:05:00  Data2CRM Tray  paused". */
export function watchText(line: WatchLine): string {
  if (line.type === 'app') return `${clock(line.at)}  Data2CRM Tray  ${line.paused ? 'paused · automatic refresh is off' : line.summary}`;
  if (line.change === 'removed') return `${clock(line.at)}  ${line.name}  removed`;
  if (line.change === 'renamed') return `${clock(line.at)}  ${line.name}  renamed (was ${line.previousName})`;
  return `${clock(line.at)}  ${line.name}  ${line.change === 'added' ? 'added · ' : ''}${line.stateLine}${line.detail && line.needsYou ? ` — ${line.detail}` : ''}`;
}
