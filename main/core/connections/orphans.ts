/**
 * Keychain entries without a connection record ("orphans"): a connect that died between the
 * keychain write and the settings save, or a record set aside from a damaged settings file. They
 * are listed, never deleted silently. Recover rebuilds the record from the entry's metadata and
 * what Data2CRM says (adopting the application it already has, or registering one); Delete
 * revokes the refresh token, deletes the connection's application and wipes the entry.
 *
 * An entry is input (see README.md): one whose metadata fails the checks a connect passes
 * (entry-meta.ts), or whose account name is no connection id, is listed as unrecognized, shows
 * nothing of what it says about itself, and offers Delete only, which removes it from this
 * computer without sending anything anywhere.
 *
 * While the state database is a newer version's (`readOnly`), an entry without a record here may
 * well be the newer version's connection (its record is one this version cannot read): nothing is
 * listed, and Recover and Delete are refused before they reach the keychain or the network.
 */
import { createHash } from 'node:crypto';
import { isTransient, showable } from '../http/api-failure.js';
import type { AuthBrowser, Clock, HttpTransport, Logger } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import { fetchUserInfo } from '../salesforce/userinfo.js';
import type { ConnectionSecrets, EntryMeta } from '../secrets/connection-secrets.js';
import { createServiceClients } from '../service-clients.js';
import { loginBaseUrl } from '../settings/endpoints.js';
import { connectionRecordSchema, type ConnectionRecord } from '../settings/schema.js';
import type { SettingsRepository } from '../settings/settings-repository.js';
import { notSavedBecause } from '../state-database/storage-failure.js';
import { applicationInput } from './application-input.js';
import { NOTHING_WHILE_NEWER } from './newer-database.js';
import type { ConnectionQueue } from './connection-queue.js';
import { entryMeta, entryTrust, recordBase, untrustedMeta, type EntryTrust, type RecordBase } from './entry-meta.js';
import { applicationByToken, applicationFor } from './orphan-application.js';
import type { SecretVault } from './secret-vault.js';

export interface Orphan {
  /** The entry's connection id, or one derived from its account name when that is no connection id. */
  readonly id: string;
  /** What the entry says about itself; null for entries of older versions or unreadable ones. */
  readonly label: string | null;
  readonly instanceUrl: string | null;
  readonly username: string | null;
  readonly readable: boolean;
  /** Readable, and what it says about itself passes a connect's checks: Recover is offered. */
  readonly recognized: boolean;
  readonly hasRefreshToken: boolean;
  /** In plain words: where it comes from and what Recover can do with it. */
  readonly detail: string;
}

export interface OrphanDeps {
  readonly settings: SettingsRepository;
  readonly vault: SecretVault;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly queue: ConnectionQueue;
  readonly browser: Pick<AuthBrowser, 'forgetSession'>;
  /** A connect between its keychain write and its record is not an orphan. */
  readonly isConnecting: (id: string) => boolean;
  readonly http?: HttpTransport | undefined;
  /** The state database is a newer version's: its connections' entries are not this version's to touch. */
  readonly readOnly?: boolean;
}

type Failure = { message: string };

const UNREADABLE = 'Its contents cannot be read (damaged or undecryptable), so it cannot be recovered; Delete removes it.';
const LEGACY = 'Written by an older version, it does not say which org it belongs to; Recover looks for it among your Data2CRM applications.';
const LEGACY_UNKNOWN = 'This entry was written by an older version and does not say which org it belongs to, and its access token opens none of the unused applications Data2CRM lists. It cannot be recovered: delete it and connect again.';
const unrecognized = (why: string) => `Not recognized: ${why}. The app will not send its tokens anywhere; Delete removes it from this computer only.`;
const GONE = 'That keychain entry no longer exists.';
const LEGACY_MANUAL = 'Recovered as pasted tokens (the older entry does not name its connected app), so the tray will not refresh it; connect again with your connected app for that.';

export function createOrphans(deps: OrphanDeps) {
  const { settings, vault, clock, logger, queue } = deps;
  const readOnly = deps.readOnly ?? false;
  const refused = async (): Promise<Result<never, Failure>> => err({ message: NOTHING_WHILE_NEWER });
  const clients = createServiceClients({ settings, vault, clock, http: deps.http });
  const records = () => settings.get().connections;
  const isOrphan = (id: string) => !settings.connection(id) && !deps.isConnecting(id);
  const claimedKeys = () => new Set(records().flatMap((c) => (c.applicationKey ? [c.applicationKey] : [])));
  const defaultLoginBase = () => {
    const base = loginBaseUrl(settings.get().endpoints.salesforceLoginHost);
    return base.ok ? base.value : 'https://login.salesforce.com';
  };

  /** Why Recover and a revoking Delete are refused for an entry, or null when they may go ahead. */
  function whyUnrecognized(id: string, secrets: ConnectionSecrets, trust: EntryTrust): string | null {
    if (!isConnectionId(id)) return 'its keychain account name is not one the app writes';
    if (secrets.metaUnreadable) return 'what it says about its connection is not in the form the app writes';
    return secrets.meta ? untrustedMeta(secrets.meta, trust) : null;
  }

  function describe(id: string, trust: EntryTrust): Orphan {
    const secrets = vault.secretsOf(id);
    const base = { id: viewIdOf(id), readable: secrets !== null, hasRefreshToken: Boolean(secrets?.refreshToken) };
    if (!secrets) return { ...base, label: null, instanceUrl: null, username: null, recognized: false, detail: UNREADABLE };
    const why = whyUnrecognized(id, secrets, trust);
    if (why) return { ...base, label: null, instanceUrl: null, username: null, recognized: false, detail: unrecognized(why) };
    const meta = secrets.meta;
    const detail = meta ? `Found in the keychain without its connection (an interrupted connect or a record set aside). Recover rebuilds it${meta.applicationKey ? '' : ' and looks for its Data2CRM application'}.` : LEGACY;
    return { ...base, label: meta?.label ?? null, instanceUrl: meta?.instanceUrl ?? null, username: meta?.username ?? null, recognized: true, detail };
  }

  /** The keychain entry an orphan's id names (its own id, or the one derived from a foreign account name). */
  function entryIdOf(viewId: string): string | null {
    const ids = vault.connectionIds();
    if (ids.includes(viewId)) return viewId;
    return ids.find((id) => !isConnectionId(id) && viewIdOf(id) === viewId) ?? null;
  }

  /** The record fields and the application for an entry without metadata, or why there are none. */
  async function fromLegacy(secrets: ConnectionSecrets): Promise<Result<{ base: RecordBase; applicationKey: string; detail: string | null }, Failure>> {
    const extraHosts = settings.get().extraInstanceHosts;
    const found = await applicationByToken(clients.data2crm(), claimedKeys(), (instanceUrl) => fetchUserInfo({ instanceUrl, accessToken: secrets.accessToken, extraHosts, ...(deps.http ? { http: deps.http } : {}) }));
    if (!found.ok) return err({ message: `Data2CRM or Salesforce could not be asked: ${found.error.message} Try again.` });
    if (!found.value) return err({ message: LEGACY_UNKNOWN });
    const { app, identity } = found.value;
    const mode = app.authorization === 'oAuth-internal' ? 'internal' : 'manual';
    const label = showable(app.description ?? '').slice(0, 100) || 'Recovered connection';
    const crmType = app.type === 'SalesforceSandbox' ? 'SalesforceSandbox' : 'Salesforce';
    const base: RecordBase = { label, mode, crmType, loginBaseUrl: defaultLoginBase(), instanceUrl: new URL(app.url).origin, orgId: identity.orgId, userId: identity.userId, username: identity.username, connectedApp: null };
    return ok({ base, applicationKey: app.key, detail: mode === 'manual' ? LEGACY_MANUAL : null });
  }

  /** The application the entry's connection had, or a new one registered with the entry's tokens. */
  async function fromMeta(meta: EntryMeta, secrets: ConnectionSecrets): Promise<Result<{ base: RecordBase; applicationKey: string; detail: string | null }, Failure>> {
    const client = clients.data2crm();
    const base = recordBase(meta);
    const found = await applicationFor(client, meta, claimedKeys());
    if (!found.ok) return err({ message: `Data2CRM could not be asked for the connection’s application: ${found.error.message} Try again.` });
    if (found.value) return ok({ base, applicationKey: found.value, detail: null });
    const created = await client.createApplication(applicationInput(base, secrets, base.instanceUrl));
    if (!created.ok) return err({ message: `Data2CRM did not register the connection again: ${created.error.message}` });
    logger.info('orphans: registered a new application for a recovered entry', { mode: base.mode });
    return ok({ base, applicationKey: created.value, detail: null });
  }

  async function recoverNow(viewId: string): Promise<Result<ConnectionRecord, Failure>> {
    const id = entryIdOf(viewId);
    if (id === null) return err({ message: GONE });
    if (!isOrphan(id)) return err({ message: 'That keychain entry already belongs to a connection.' });
    const secrets = vault.secretsOf(id);
    if (!secrets) return err({ message: vault.isUnreadable(id) ? UNREADABLE : GONE });
    const why = whyUnrecognized(id, secrets, entryTrust(settings.get()));
    if (why) return err({ message: unrecognized(why) });
    const rebuilt = secrets.meta ? await fromMeta(secrets.meta, secrets) : await fromLegacy(secrets);
    if (!rebuilt.ok) return rebuilt;
    const { base, applicationKey, detail } = rebuilt.value;
    const createdAt = secrets.meta?.createdAt ?? clock.now();
    // Not verified yet and pushPending: keep-alive runs it at once and sends Data2CRM the entry's newest tokens.
    const record: ConnectionRecord = { ...base, id, applicationKey, createdAt, lastVerifiedAt: null, lastRefreshedAt: null, tokenIssuedAt: null, tokenReceivedAt: null, learnedLifetimeMs: null, status: 'healthy', statusDetail: detail, consecutiveFailures: 0, troubleSince: null, troubleTold: false, pushPending: true, disconnect: null };
    try {
      settings.putConnection(record);
    } catch (error) {
      return err({ message: `Nothing was changed: ${notSavedBecause(error)}. Try again.` });
    }
    // The entry now names its application (and older entries gain their metadata).
    await vault.save(id, { ...secrets, meta: entryMeta(base, applicationKey, createdAt) });
    logger.info('orphans: connection recovered from its keychain entry', { id, mode: record.mode });
    return ok(record);
  }

  /** Find the application (while its tokens still work), revoke, delete it, wipe: a retry resumes safely. */
  async function deleteNow(viewId: string): Promise<Result<string, Failure>> {
    const id = entryIdOf(viewId);
    if (id === null) return err({ message: GONE });
    if (!isOrphan(id)) return err({ message: 'That keychain entry belongs to a connection: disconnect it instead.' });
    const secrets = vault.secretsOf(id);
    if (secrets && whyUnrecognized(id, secrets, entryTrust(settings.get()))) return wipe(id, 'Deleted from this computer; nothing was sent anywhere.');
    const meta = secrets?.meta;
    const found = meta ? await applicationFor(clients.data2crm(), meta, claimedKeys()) : null;
    if (found && !found.ok) return err({ message: `Data2CRM could not be asked for the connection’s application: ${found.error.message} Nothing was deleted; try again.` });
    /** Why Salesforce refused to revoke the sign-in, said when the delete ends (never called a success). */
    let notRevoked: string | null = null;
    if (secrets?.refreshToken) {
      // Salesforce revokes without a client id; entries without one (internal, pasted, older) revoke alike.
      const oauth = clients.oauth({ loginBaseUrl: meta?.loginBaseUrl ?? defaultLoginBase(), clientId: meta?.connectedApp?.clientId ?? 'none', clientSecret: secrets.clientSecret });
      const revoked = await oauth.revoke(secrets.refreshToken);
      if (!revoked.ok && isTransient(revoked.error)) return err({ message: `Salesforce could not be reached to revoke the sign-in: ${revoked.error.message} Nothing was deleted; try again.` });
      if (!revoked.ok) {
        logger.warn('orphans: Salesforce refused the revocation; wiping the entry anyway', { id, kind: revoked.error.kind });
        notRevoked = revoked.error.message.slice(0, 300);
      }
    }
    if (found?.value) {
      const deleted = await clients.data2crm().deleteApplication(found.value);
      if (!deleted.ok && deleted.error.kind !== 'not-found') return err({ message: `${secrets?.refreshToken ? 'The sign-in is revoked, but ' : ''}Data2CRM did not delete the connection’s application: ${deleted.error.message} Try again.` });
    }
    if (notRevoked !== null) return wipe(id, `Deleted, but Salesforce refused to revoke its sign-in (${notRevoked}): it may keep working until it expires, or until you revoke it in Salesforce (Setup → Connected Apps OAuth Usage).`);
    return wipe(id, secrets ? (secrets.refreshToken ? 'Revoked and deleted.' : 'Deleted.') : 'Deleted. Its contents could not be read, so nothing could be revoked.');
  }

  /** The entry leaves the keychain (and its sign-in window session, when its id can name one). */
  async function wipe(id: string, done: string): Promise<Result<string, Failure>> {
    try {
      await vault.remove(id);
    } catch {
      return err({ message: 'The keychain entry could not be deleted. Try again.' });
    }
    if (isConnectionId(id)) await deps.browser.forgetSession(id).catch(() => logger.warn('orphans: could not clear the sign-in session', { id }));
    logger.info('orphans: keychain entry deleted', { id: viewIdOf(id) });
    return ok(done);
  }

  return {
    /** Entries without a record: what Settings → Connections lists (one pass, whatever the count). */
    list(): Orphan[] {
      if (readOnly) return [];
      const ids = vault.connectionIds().filter(isOrphan);
      // Read once per pass, and only when there is an entry to judge (it looks at every connection).
      const trust = ids.length ? entryTrust(settings.get()) : null;
      return ids.map((id) => describe(id, trust!));
    },
    recover: (id: string) => (readOnly ? refused() : queue.run(id, () => recoverNow(id))),
    remove: (id: string) => (readOnly ? refused() : queue.run(id, () => deleteNow(id))),
  };
}

export type Orphans = ReturnType<typeof createOrphans>;

/** What the app writes as a connection id (a UUID); an account name from elsewhere may be anything. */
const isConnectionId = (id: string) => connectionRecordSchema.shape.id.safeParse(id).success;

/** An id the windows can carry for any entry: its own, or one derived from a foreign account name. */
const viewIdOf = (id: string) => (isConnectionId(id) ? id : `entry-${createHash('sha256').update(id).digest('hex').slice(0, 40)}`);
