/**
 * Salesforce keeps at most five approvals (refresh tokens) per user per connected app; a sixth
 * revokes the oldest. The app is Data2CRM's in internal mode and the user's own consumer key in
 * external mode; pasted tokens were approved elsewhere and are not counted. Only our own
 * connections are known: approvals made outside this app can end one sooner.
 */
import type { ConnectionRecord } from '../settings/schema.js';

export const APPROVALS_PER_APP = 5;

type Approval = Pick<ConnectionRecord, 'mode' | 'connectedApp' | 'userId' | 'orgId'>;

/** One app: Data2CRM's sign-in, or one consumer key. Null for pasted tokens. */
function appOf(c: Pick<ConnectionRecord, 'mode' | 'connectedApp'>): string | null {
  if (c.mode === 'internal') return 'data2crm';
  if (c.mode === 'external' && c.connectedApp) return `client:${c.connectedApp.clientId}`;
  return null;
}

const sameApproval = (a: Approval, b: Approval) => appOf(a) !== null && appOf(a) === appOf(b) && a.userId !== null && a.userId === b.userId && a.orgId === b.orgId;

const oldestFirst = (list: readonly ConnectionRecord[]) => [...list].sort((a, b) => a.createdAt - b.createdAt);

/** The connections a new approval by `signedIn` ended, oldest first (none while under the limit). */
export function endedByNewApproval(connections: readonly ConnectionRecord[], signedIn: ConnectionRecord): ConnectionRecord[] {
  const others = oldestFirst(connections.filter((c) => c.id !== signedIn.id && !c.disconnect && sameApproval(c, signedIn)));
  return others.slice(0, Math.max(0, others.length - (APPROVALS_PER_APP - 1)));
}

/**
 * Before a sign-in through `app`: for each user already at the limit through it, the connection a
 * new sign-in as that user would end (its oldest). The user isn't known until they sign in.
 */
export function atRiskBeforeSignIn(connections: readonly ConnectionRecord[], app: Pick<ConnectionRecord, 'mode' | 'connectedApp'>): ConnectionRecord[] {
  const key = appOf(app);
  if (key === null) return [];
  const groups = new Map<string, ConnectionRecord[]>();
  for (const c of connections) {
    if (c.disconnect || appOf(c) !== key || c.userId === null) continue;
    const group = `${c.orgId}/${c.userId}`;
    groups.set(group, [...(groups.get(group) ?? []), c]);
  }
  return [...groups.values()].filter((g) => g.length >= APPROVALS_PER_APP).map((g) => oldestFirst(g)[0]!);
}

const appWords = (mode: ConnectionRecord['mode']) => (mode === 'internal' ? 'Data2CRM’s sign-in' : 'this connected app');

/** Asked before the sign-in: which connection a sign-in as that user would end. */
export function approvalWarning(atRisk: readonly ConnectionRecord[], mode: ConnectionRecord['mode']): string {
  const each = atRisk.map((c) => `as ${c.username ?? 'its user'} ends “${c.label}”`).join('; ');
  return `Salesforce keeps only ${APPROVALS_PER_APP} sign-ins per user through one app, and ${atRisk.length === 1 ? 'a user here has' : 'users here have'} ${APPROVALS_PER_APP} through ${appWords(mode)}. Signing in again ${each}: that connection would need re-authorization. Sign in as another user, or go on anyway.`;
}

/** Said after the sign-in: which connections it ended, as checked at once. */
export function endedWords(ended: readonly ConnectionRecord[]): string {
  const names = ended.map((c) => `“${c.label}”${c.status === 'needs-reauthorization' ? ' (now needs re-authorization)' : ''}`).join(', ');
  return `Salesforce keeps only ${APPROVALS_PER_APP} sign-ins per user through one app, so this sign-in ended the oldest: ${names}. It was checked at once.`;
}
