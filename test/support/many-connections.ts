/**
 * Many connections for the list, table and render tests, added to the core's records the way a
 * restart would find them (no sign-in per row: 40 sign-ins would test the sandbox, not the list).
 * They are not scheduled (keep-alive plans only what it was told to track), so nothing changes
 * them behind a test's back; they have no secrets, so leave their Refresh / Re-authorize alone.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '../../main/core/compose.js';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';

export function connectionRecord(label: string, fields: Partial<ConnectionRecord> = {}): ConnectionRecord {
  const n = Number(label.match(/\d+/)?.[0] ?? 0);
  return {
    id: randomUUID(),
    label,
    mode: 'internal',
    crmType: 'Salesforce',
    loginBaseUrl: 'https://login.salesforce.com',
    instanceUrl: `https://org${n}.my.salesforce.com`,
    orgId: `00D0000000000${String(n).padStart(2, '0')}`,
    userId: null,
    username: `user${n}@example.com`,
    applicationKey: null,
    connectedApp: null,
    tokenIssuedAt: null,
    tokenReceivedAt: null,
    learnedLifetimeMs: null,
    createdAt: Date.now(),
    lastVerifiedAt: Date.now(),
    lastRefreshedAt: null,
    status: 'healthy',
    statusDetail: null,
    consecutiveFailures: 0,
    troubleSince: null,
    troubleTold: false,
    pushPending: false,
    disconnect: null,
    ...fields,
  };
}

export function addConnections(core: Core, records: readonly ConnectionRecord[]): void {
  core.settings.update((s) => ({ ...s, connections: [...s.connections, ...records] }));
}

/** "Org 1" … "Org n", healthy and just verified, with the given ones needing the user. */
export function manyConnections(n: number, needsYou: Record<number, ConnectionRecord['status']> = {}): ConnectionRecord[] {
  return Array.from({ length: n }, (_, i) => connectionRecord(`Org ${i + 1}`, needsYou[i + 1] ? { status: needsYou[i + 1]! } : {}));
}
