/**
 * Records loaded together repeat a few values: the CRM type, the login URL, the mode and status,
 * often one connected app for all. Parsed from text, each record has its own copy of each; here
 * records loaded at one start share one instance of each equal value (≈ 100 bytes a connection
 * at 10,000). Records are never changed in place (an update makes a new one), so sharing is safe.
 */
import type { ConnectedApp, ConnectionRecord } from './schema.js';

const SHARED_STRINGS = ['crmType', 'loginBaseUrl', 'mode', 'status'] as const;

/** A function that returns each record with its repeated values shared; what it remembers goes with it. */
export function shareRepeatedValues(): (record: ConnectionRecord) => ConnectionRecord {
  const strings = new Map<string, string>();
  const apps = new Map<string, ConnectedApp>();
  const shared = (value: string) => {
    const held = strings.get(value);
    if (held !== undefined) return held;
    strings.set(value, value);
    return value;
  };
  return (record) => {
    const out: Record<string, unknown> = { ...record };
    for (const key of SHARED_STRINGS) if (typeof record[key] === 'string') out[key] = shared(record[key]);
    if (record.connectedApp) {
      const key = JSON.stringify(record.connectedApp);
      const held = apps.get(key);
      if (held) out['connectedApp'] = held;
      else apps.set(key, record.connectedApp);
    }
    return out as ConnectionRecord;
  };
}
