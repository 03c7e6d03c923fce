import type { ConnectionView } from '../../../preload/contract';
import { instanceHostOf, needsUser, pastesNewTokens } from '../../../shared/state-words';
import { MODE_NAMES } from '../components/mode-names';
import { badgeText } from '../components/status-badge';

export type SortColumn = 'state' | 'name' | 'user' | 'instance' | 'mode' | 'verified';
export interface Sort {
  readonly column: SortColumn;
  readonly descending: boolean;
}

/** Needs you, then trouble the app is working on, then work in progress, then the rest. */
function attentionRank(c: ConnectionView): number {
  if (needsUser(c.status)) return 0;
  if (c.status === 'retrying' || c.status === 'degraded' || c.status === 'refused-for-now') return 1;
  if (c.status === 'healthy') return 3;
  return 2;
}

export const instanceHost = instanceHostOf;

const byText = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '', undefined, { sensitivity: 'base', numeric: true });
const COMPARE: Record<SortColumn, (a: ConnectionView, b: ConnectionView) => number> = {
  state: (a, b) => attentionRank(a) - attentionRank(b),
  name: (a, b) => byText(a.label, b.label),
  user: (a, b) => byText(a.username, b.username),
  instance: (a, b) => byText(instanceHost(a.instanceUrl), instanceHost(b.instanceUrl)),
  mode: (a, b) => byText(a.mode, b.mode),
  // Ascending: the longest unverified first (never verified before any time), as a check list reads.
  verified: (a, b) => (a.lastVerifiedAt ?? -Infinity) - (b.lastVerifiedAt ?? -Infinity),
};

/** The table's order: the chosen column, then needs-you first, then by name (stable for equal rows). */
export function sortConnections(connections: readonly ConnectionView[], sort: Sort): ConnectionView[] {
  const sign = sort.descending ? -1 : 1;
  return [...connections].sort((a, b) => sign * COMPARE[sort.column](a, b) || COMPARE.state(a, b) || COMPARE.name(a, b));
}

/** The state groups a person filters by: what needs them, what the app is working on, what works. */
export type StateFilter = 'all' | 'needs-you' | 'problems' | 'healthy';
const IN_GROUP: Record<Exclude<StateFilter, 'all'>, number> = { 'needs-you': 0, problems: 1, healthy: 3 };

/** The words a search looks in: name, user, instance, mode and state, as the table shows them. */
const searchable = (c: ConnectionView) => [c.label, c.username ?? '', instanceHost(c.instanceUrl), MODE_NAMES[c.mode], badgeText(c.status, pastesNewTokens(c))].join('\n').toLocaleLowerCase();

/** The connections whose words hold every word of the query (any order), in the chosen state group. */
export function filterConnections(connections: readonly ConnectionView[], query: string, state: StateFilter): readonly ConnectionView[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 && state === 'all') return connections;
  return connections.filter((c) => (state === 'all' || attentionRank(c) === IN_GROUP[state]) && (words.length === 0 || words.every((w) => searchable(c).includes(w))));
}
