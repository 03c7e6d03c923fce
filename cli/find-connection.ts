/**
 * `<connection>` as people type it: a name, an id or its unique prefix, an org id or a username.
 * Exact matches (names and usernames ignoring case) win over an id prefix. More than one match, or
 * none, is a usage error that says which connections exist.
 */
import type { ConnectionView } from '../preload/contract.js';
import { usageError } from './errors.js';

const MAX_LISTED = 20;

const describe = (c: ConnectionView) => `${c.label} (id ${c.id.slice(0, 8)}${c.username ? `, ${c.username}` : ''})`;

function list(views: readonly ConnectionView[]): string {
  if (views.length === 0) return 'There are no connections yet.';
  const names = views.slice(0, MAX_LISTED).map(describe).join('; ');
  return `Connections: ${names}${views.length > MAX_LISTED ? `; and ${views.length - MAX_LISTED} more (see \`data2crm-tray status\`)` : ''}.`;
}

export function findConnection(views: readonly ConnectionView[], query: string): ConnectionView {
  const wanted = query.trim();
  const folded = wanted.toLowerCase();
  if (!wanted) throw usageError('Name a connection.');
  const exact = views.filter((c) => c.id === wanted || c.orgId === wanted || c.label.toLowerCase() === folded || c.username?.toLowerCase() === folded);
  const matches = exact.length > 0 ? exact : views.filter((c) => c.id.startsWith(folded));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw usageError(`“${wanted}” matches ${matches.length} connections: ${matches.slice(0, MAX_LISTED).map(describe).join('; ')}. Use an id (or the start of one) to pick one.`);
  throw usageError(`No connection matches “${wanted}”. ${list(views)}`);
}
