/**
 * `status`: the running app's connections, as a table like `sf org list` or as JSON with a
 * versioned schema (docs/cli/status.schema.json). The state words are the tray's own
 * (shared/state-words.ts), so the table says what the tray says. Times in JSON are ISO 8601 (UTC).
 */
import type { AppInfo, ConnectionView, Snapshot } from '../preload/contract.js';
import { connectionStateLine, instanceHostOf, needsYouHere } from '../shared/state-words.js';

/** Raised only when a field is removed or changes meaning; new fields may appear within a version. */
export const STATUS_SCHEMA_VERSION = 1;

export const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

const RENEWED_BY = { internal: 'data2crm', external: 'app', manual: 'nobody' } as const;

/** Who renews it: a keeper that holds it; nobody while it is being handed over; else by its mode. */
function renewedBy(c: ConnectionView): 'data2crm' | 'app' | 'nobody' | 'keeper' {
  if (c.keptBy) return c.keptBy.pending ? 'nobody' : 'keeper';
  return RENEWED_BY[c.mode];
}

/** When the app next renews the tokens itself (external mode), as the tray's "renews in …" counts it. */
function nextRenewalAt(c: ConnectionView): number | null {
  if (c.keptBy || c.mode !== 'external' || c.expiresAt === null) return null;
  return Math.min(c.nextRunAt ?? c.expiresAt, c.expiresAt);
}

/** 1 when anything needs the user (a connection, or the rejected user key); else 0. */
export const needsYou = (snapshot: Snapshot): boolean => snapshot.serviceKeyRejected || snapshot.connections.some(needsYouHere);

export function statusJson(info: AppInfo, snapshot: Snapshot, now: number) {
  const context = { serviceKeyRejected: snapshot.serviceKeyRejected, paused: snapshot.paused };
  return {
    schemaVersion: STATUS_SCHEMA_VERSION,
    generatedAt: iso(now)!,
    app: {
      name: info.name,
      version: info.version,
      status: snapshot.status,
      summary: snapshot.summary,
      needsYou: needsYou(snapshot),
      paused: snapshot.paused,
      userKeyRejected: snapshot.serviceKeyRejected,
      storage: snapshot.storage.kind,
    },
    connections: snapshot.connections.map((c) => ({
      id: c.id,
      name: c.label,
      mode: c.mode,
      crmType: c.crmType,
      username: c.username,
      orgId: c.orgId,
      instanceUrl: c.instanceUrl,
      state: c.status,
      stateLine: connectionStateLine(c, now, context),
      needsYou: needsYouHere(c),
      detail: c.statusDetail,
      renewedBy: renewedBy(c),
      since: iso(c.since),
      lastVerifiedAt: iso(c.lastVerifiedAt),
      lastRefreshedAt: iso(c.lastRefreshedAt),
      expiresAt: iso(c.expiresAt),
      nextRenewalAt: iso(nextRenewalAt(c)),
      nextCheckAt: iso(c.nextRunAt),
      applicationKeyFingerprint: c.applicationKeyFingerprint,
    })),
  };
}

export type StatusJson = ReturnType<typeof statusJson>;

const MODE_WORDS = { internal: 'data2crm', external: 'own app', manual: 'pasted' } as const;

/** "14:05" today, "Dec 8 14:05" on another day (local time, as the tray shows times). */
function clockTime(at: number, now: number): string {
  const date = new Date(at);
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  return date.toDateString() === new Date(now).toDateString() ? time : `${date.toLocaleString('en', { month: 'short' })} ${date.getDate()} ${time}`;
}

function renewalCell(c: StatusJson['connections'][number], now: number): string {
  if (c.renewedBy === 'data2crm') return 'by Data2CRM';
  if (c.nextRenewalAt) return clockTime(Date.parse(c.nextRenewalAt), now);
  return '—';
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n');
}

/** The human view: one summary line, then the table (or how to add a first connection). */
export function statusText(status: StatusJson, now: number): string {
  const head = `${status.app.name} ${status.app.version} · ${status.app.summary}`;
  if (status.connections.length === 0) return `${head}\nNo connections yet: \`data2crm-tray connect\` opens the connect wizard.\n`;
  const rows = [['NAME', 'MODE', 'USER', 'INSTANCE', 'STATE', 'NEXT RENEWAL'], ...status.connections.map((c) => [c.name, MODE_WORDS[c.mode], c.username ?? '—', instanceHostOf(c.instanceUrl), c.stateLine, renewalCell(c, now)])];
  return `${head}\n\n${table(rows)}\n`;
}
