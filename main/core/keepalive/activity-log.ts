/** The activity log: bounded, redacted, persisted through a SettingsFile of its own. */
import type { SettingsFile } from '../ports.js';
import { redactText } from '../redact.js';
import type { ConnectionEvent } from './events.js';

export interface ActivityEntry {
  readonly at: number;
  readonly connectionId: string;
  readonly label: string;
  readonly kind: ConnectionEvent['kind'];
  readonly from: string;
  readonly to: string;
  readonly message: string | null;
}

export function createActivityLog(file: SettingsFile, max = 500) {
  const read = file.read();
  const stored = read.ok && read.data && typeof read.data === 'object' && Array.isArray((read.data as { entries?: unknown }).entries) ? ((read.data as { entries: ActivityEntry[] }).entries) : [];
  let entries: ActivityEntry[] = stored.slice(-max);
  return {
    append(event: ConnectionEvent): void {
      entries.push({ at: event.at, connectionId: event.connectionId, label: redactText(event.label), kind: event.kind, from: event.from, to: event.to, message: event.detail === null ? null : redactText(event.detail) });
      if (entries.length > max) entries = entries.slice(-max);
      file.write({ entries });
    },
    entries: (): readonly ActivityEntry[] => entries,
  };
}

export type ActivityLog = ReturnType<typeof createActivityLog>;
