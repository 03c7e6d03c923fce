/**
 * A value the app shows as an identifier, pasted into a secret field by mistake (an org id, a
 * username, a connection's name, an instance or service host). Stored, it would be a secret the
 * redactor blanks wherever that identifier is shown; so it is refused with a word on what it is.
 */
import type { Settings } from '../settings/schema.js';

const hostOf = (url: string): string | null => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
};

/** What the pasted value is, in plain words ("the org id of Acme"), or null when it is none of the app's identifiers. */
export function pastedIdentifier(value: string, settings: Pick<Settings, 'connections' | 'endpoints'>): string | null {
  const typed = value.trim().toLowerCase();
  if (!typed) return null;
  const same = (known: string | null | undefined) => Boolean(known) && known!.toLowerCase() === typed;
  // Salesforce ids come in 15- and 18-character forms with the same first 15.
  const sameId = (id: string | null) => Boolean(id) && (typed.length === 15 || typed.length === 18) && id!.slice(0, 15).toLowerCase() === typed.slice(0, 15);
  for (const c of settings.connections) {
    if (sameId(c.orgId)) return `the org id of ${c.label}`;
    if (sameId(c.userId)) return `the user id of ${c.label}`;
    if (same(c.username)) return `the username of ${c.label}`;
    if (same(c.label)) return 'the name of a connection';
    if (same(hostOf(c.instanceUrl)) || same(c.instanceUrl)) return `the instance address of ${c.label}`;
  }
  const { data2crmApiBase, data2crmAuthBase, salesforceLoginHost } = settings.endpoints;
  if ([data2crmApiBase, data2crmAuthBase, salesforceLoginHost].some((e) => same(e) || same(hostOf(e)))) return 'a service address';
  return null;
}
