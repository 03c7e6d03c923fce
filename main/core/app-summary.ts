/** The one-line state the tray shows, from the connections and the storage health. */
import type { AppStatus } from './app-status.js';
import type { StorageStatus } from './secrets/choose-secret-store.js';
import type { ConnectionRecord, ConnectionStatus } from './settings/schema.js';

const NEEDS_USER: ReadonlySet<ConnectionStatus> = new Set(['needs-reauthorization', 'application-deleted']);
const BUSY: ReadonlySet<ConnectionStatus> = new Set(['connecting', 'refreshing', 'disconnecting']);
const WARN: ReadonlySet<ConnectionStatus> = new Set(['retrying', 'degraded']);

export function summarize(connections: readonly Pick<ConnectionRecord, 'status'>[], storage: StorageStatus, serviceKeyRejected = false, paused = false): { status: AppStatus; summary: string } {
  const count = connections.length;
  const noun = count === 1 ? '1 connection' : `${count} connections`;
  const needUser = connections.filter((c) => NEEDS_USER.has(c.status)).length;
  const warn = connections.filter((c) => WARN.has(c.status)).length;
  const busy = connections.filter((c) => BUSY.has(c.status)).length;
  const degraded = storage.kind === 'session-only' ? ' · storage degraded' : '';
  // Nothing is kept alive while Data2CRM refuses the key: that outranks every connection's state.
  if (serviceKeyRejected) return { status: 'key-rejected', summary: `Data2CRM rejected the user key · ${count ? `${noun} not kept alive` : 'no connections'}${degraded}` };
  if (needUser > 0) return { status: 'error', summary: `${noun} · ${needUser} need${needUser === 1 ? 's' : ''} you${degraded}` };
  // Paused by the user: its own icon and words, below what needs the user.
  if (paused && count > 0) return { status: 'paused', summary: `Paused · ${noun} not kept alive${degraded}` };
  if (storage.kind === 'session-only') return { status: 'attention', summary: `${count ? noun : 'No connections'} · storage degraded (tokens kept for this session only)` };
  if (warn > 0) return { status: 'attention', summary: `${noun} · ${warn} retrying` };
  if (busy > 0) return { status: 'busy', summary: `${noun} · working…` };
  if (count === 0) return { status: 'ok', summary: 'No connections yet' };
  return { status: 'ok', summary: `${noun} · all healthy` };
}
