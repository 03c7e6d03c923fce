/**
 * Which Data2CRM application belongs to an orphaned keychain entry. The entry names its key once
 * the registration went through; before that (a crash in between) the application, if it was made,
 * is found in Data2CRM's list by what the entry says: same description, type, authorization and
 * instance, not used by any connection, and acting as the entry's Salesforce user. Entries without metadata (older versions) are matched
 * by asking Salesforce who their access token belongs to at each unclaimed application's instance.
 */
import type { Data2CrmClient } from '../data2crm/client.js';
import type { ApplicationSummary } from '../data2crm/types.js';
import type { ApiResult } from '../http/api-failure.js';
import { err, ok } from '../result.js';
import type { EntryMeta } from '../secrets/connection-secrets.js';
import type { Identity } from '../salesforce/types.js';

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

export const authorizationOf = (mode: EntryMeta['mode']) => (mode === 'internal' ? 'oAuth-internal' : 'oAuth-external-refresh');

const sameOrigin = (a: string, b: string) => {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
};

/** Every application Data2CRM lists that no connection record uses. */
export async function unclaimedApplications(client: Data2CrmClient, claimed: ReadonlySet<string>): Promise<ApiResult<ApplicationSummary[]>> {
  const found: ApplicationSummary[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const listed = await client.listApplications(page, PAGE_SIZE);
    if (!listed.ok) return listed;
    found.push(...listed.value.filter((a) => !claimed.has(a.key)));
    if (listed.value.length < PAGE_SIZE) break;
  }
  return ok(found);
}

/** The entry's application key if Data2CRM still has it, else the one unclaimed match; null when none (or several). */
export async function applicationFor(client: Data2CrmClient, meta: EntryMeta, claimed: ReadonlySet<string>): Promise<ApiResult<string | null>> {
  if (meta.applicationKey && !claimed.has(meta.applicationKey)) {
    const app = await client.getApplication(meta.applicationKey);
    if (app.ok) return ok(meta.applicationKey);
    if (app.error.kind !== 'not-found') return app;
  }
  const apps = await unclaimedApplications(client, claimed);
  if (!apps.ok) return apps;
  const matches = apps.value.filter((a) => a.description === meta.label && a.type === meta.crmType && a.authorization === authorizationOf(meta.mode) && (!a.url || sameOrigin(a.url, meta.instanceUrl)));
  if (matches.length !== 1) return ok(null);
  // A look-alike is adopted (or deleted) only when Data2CRM says it acts as the entry's Salesforce user.
  const app = await client.getApplication(matches[0]!.key);
  if (!app.ok) return app.error.kind === 'not-found' ? ok(null) : app;
  return ok(sameUser(app.value.me?.id, meta.userId) ? app.value.key : null);
}

/** Salesforce ids come in 15- and 18-character forms; the first 15 characters are the id. */
const sameUser = (a: string | null | undefined, b: string | null) => Boolean(a && b && a.slice(0, 15) === b.slice(0, 15));

/** An entry without metadata: the unclaimed application whose instance knows its access token. */
export async function applicationByToken(
  client: Data2CrmClient,
  claimed: ReadonlySet<string>,
  whoAmI: (instanceUrl: string) => Promise<ApiResult<Identity>>,
): Promise<ApiResult<{ app: ApplicationSummary & { url: string }; identity: Identity } | null>> {
  const apps = await unclaimedApplications(client, claimed);
  if (!apps.ok) return apps;
  for (const app of apps.value) {
    if (!app.url) continue;
    const identity = await whoAmI(app.url);
    if (identity.ok) return ok({ app: { ...app, url: app.url }, identity: identity.value });
    if (identity.error.kind === 'timeout' || identity.error.kind === 'network') return err(identity.error);
  }
  return ok(null);
}
