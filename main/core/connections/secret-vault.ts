/**
 * Reads and writes connections' secrets through the SecretStore: one entry per connection, all
 * loaded with a single findAll at startup (a constant number of keychain calls, whatever the count).
 *
 * Memory is the truth for the session: new secrets are held here the moment they arrive (a rotated
 * refresh token kills the old one at once, so losing the new one loses the connection) and the
 * keychain write follows; a failed write is remembered and retried (flush) until it lands.
 * Nothing here rejects for a keychain fault except remove (a disconnect must know it failed).
 *
 * The keychain holds what lives long (refresh tokens, client secrets, the user key, pasted
 * tokens). An access token from a plain refresh (no rotation) stays in memory only: Data2CRM
 * holds it once pushed, and gnome-keyring rewrites its whole file on every write. Until that
 * push lands it is written too (persistHeld), so a restart can still retry the push.
 */
import type { SecretStore } from '../ports.js';
import { decodeSecrets, encodeSecrets, USER_KEY_ACCOUNT, type ConnectionSecrets } from '../secrets/connection-secrets.js';

const CONNECTION_PREFIX = 'connection:';

export interface SecretVault {
  /**
   * One findAll; false when the listing failed (see loadProblem). Whatever changed in memory while
   * it listed (unsaved secrets, a save, a removal, a new user key) wins over what it read.
   */
  loadAll(): Promise<boolean>;
  /** Resolves once the first listing has ended, either way (at once when none was started). */
  whenLoaded(): Promise<void>;
  /** The first listing is still running (startup: secrets not known yet). */
  isLoading(): boolean;
  /** Why the last listing failed, in plain words; null when it worked. */
  loadProblem(): string | null;
  secretsOf(connectionId: string): ConnectionSecrets | null;
  /**
   * Held in memory at once; resolves true when the keychain holds them too, false when not (yet).
   * The entry's metadata stays when new secrets come without it (refreshes only know tokens).
   */
  save(connectionId: string, secrets: ConnectionSecrets): Promise<boolean>;
  /**
   * After a refresh: a rotated refresh token (or any other long-lived change) is saved like
   * `save`; a plain refresh only replaces the access token in memory (no keychain write).
   */
  refreshed(connectionId: string, secrets: ConnectionSecrets): Promise<boolean>;
  /** Writes an access token held only in memory (its push to Data2CRM is still pending). */
  persistHeld(connectionId: string): Promise<boolean>;
  /** Writes the newest unsaved secrets again; true when nothing is left unsaved. */
  flush(connectionId: string): Promise<boolean>;
  isUnsaved(connectionId: string): boolean;
  /** The entry exists but cannot be read (damaged, undecryptable): only this connection suffers. */
  isUnreadable(connectionId: string): boolean;
  /** Forgets what memory holds for a connection without touching the keychain (an undone connect). */
  discard(connectionId: string): void;
  /** Deletes the keychain entry, then memory; rejects when the keychain refused. */
  remove(connectionId: string): Promise<void>;
  userKey(): string | null;
  setUserKey(key: string): Promise<void>;
  /** Connection ids that have a keychain entry, readable or not (to find orphans from interrupted connects). */
  connectionIds(): string[];
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message.slice(0, 160) : 'unknown error');

export interface SecretVaultOptions {
  /**
   * The instance of a secret string kept elsewhere already (the redactor's index), or the string
   * itself: the cache keeps that one, so a secret sits in memory once, not once per parse.
   */
  readonly share?: (value: string) => string;
}

export function createSecretVault(store: SecretStore, options: SecretVaultOptions = {}): SecretVault {
  const share = options.share ?? ((value: string) => value);
  const cache = new Map<string, ConnectionSecrets>();
  const unsaved = new Set<string>();
  const unreadable = new Set<string>();
  /** Newer in memory than in the keychain by an access token only (no write owed unless asked). */
  const held = new Set<string>();
  let userKey: string | null = null;
  let problem: string | null = null;
  // Writes of one entry go one after another, so an older pair can never land after a newer one.
  const writing = new Map<string, Promise<boolean>>();
  let firstListing: Promise<void> | null = null;
  let loading = false;
  /**
   * Per listing in flight: the accounts changed meanwhile. Secrets load in the background at
   * startup, so a save or removal can land while findAll still returns the older entries.
   */
  const listings = new Set<Set<string>>();
  const touch = (account: string) => {
    for (const touched of listings) touched.add(account);
  };

  /** Each secret string swapped, in place, for the shared instance of the same characters. */
  function shareStrings(secrets: ConnectionSecrets): ConnectionSecrets {
    secrets.accessToken = share(secrets.accessToken);
    if (secrets.refreshToken !== undefined) secrets.refreshToken = share(secrets.refreshToken);
    if (secrets.clientSecret !== undefined) secrets.clientSecret = share(secrets.clientSecret);
    return secrets;
  }

  function queueWrite(id: string): Promise<boolean> {
    const next = (writing.get(id) ?? Promise.resolve(true)).then(() => write(id));
    writing.set(id, next);
    void next.then(() => {
      if (writing.get(id) === next) writing.delete(id);
    });
    return next;
  }

  async function write(id: string): Promise<boolean> {
    const secrets = cache.get(id);
    if (!secrets) return true;
    try {
      await store.set(`${CONNECTION_PREFIX}${id}`, encodeSecrets(secrets));
    } catch {
      unsaved.add(id);
      return false;
    }
    // Written, so known to whoever shares (the redactor learns what the keychain holds).
    shareStrings(secrets);
    // Only the newest secrets clear the flag: a newer save may have arrived while this one wrote.
    if (cache.get(id) === secrets) unsaved.delete(id);
    return !unsaved.has(id);
  }

  function save(id: string, secrets: ConnectionSecrets): Promise<boolean> {
    touch(id);
    const meta = secrets.meta ?? cache.get(id)?.meta;
    cache.set(id, meta ? { ...secrets, meta } : secrets);
    unreadable.delete(id);
    held.delete(id);
    unsaved.add(id);
    return queueWrite(id);
  }

  async function loadAll(): Promise<boolean> {
    const touched = new Set<string>();
    listings.add(touched);
    let entries: Awaited<ReturnType<SecretStore['findAll']>>;
    try {
      entries = await store.findAll();
    } catch (error) {
      problem = `the keychain could not list its entries (${reasonOf(error)})`;
      return false;
    } finally {
      listings.delete(touched);
    }
    problem = null;
    const keep = (id: string) => unsaved.has(id) || held.has(id) || touched.has(id);
    for (const id of [...cache.keys()]) if (!keep(id)) cache.delete(id);
    for (const id of [...unreadable]) if (!touched.has(id)) unreadable.delete(id);
    for (const { account, secret } of entries) {
      if (account === USER_KEY_ACCOUNT) {
        if (!touched.has(USER_KEY_ACCOUNT)) userKey = secret;
      } else if (account.startsWith(CONNECTION_PREFIX)) {
        const id = account.slice(CONNECTION_PREFIX.length);
        if (keep(id)) continue;
        const decoded = secret === null ? null : decodeSecrets(secret);
        if (decoded) cache.set(id, shareStrings(decoded));
        else unreadable.add(id);
      }
    }
    return true;
  }

  return {
    loadAll() {
      const listing = loadAll();
      if (!firstListing) {
        loading = true;
        firstListing = listing.then(() => void (loading = false));
      }
      return listing;
    },
    whenLoaded: () => firstListing ?? Promise.resolve(),
    isLoading: () => loading,
    loadProblem: () => problem,
    secretsOf: (id) => cache.get(id) ?? null,
    save,
    refreshed(id, secrets) {
      const before = cache.get(id);
      const longLivedSame = before && before.refreshToken === secrets.refreshToken && before.clientSecret === secrets.clientSecret;
      if (!longLivedSame || unsaved.has(id)) return save(id, secrets);
      cache.set(id, shareStrings({ ...secrets, ...(before.meta ? { meta: before.meta } : {}) }));
      held.add(id);
      return Promise.resolve(true);
    },
    persistHeld: (id) => (held.has(id) ? save(id, cache.get(id)!) : Promise.resolve(true)),
    flush: (id) => (unsaved.has(id) ? queueWrite(id) : Promise.resolve(true)),
    isUnsaved: (id) => unsaved.has(id),
    isUnreadable: (id) => unreadable.has(id),
    discard(id) {
      touch(id);
      cache.delete(id);
      held.delete(id);
      unsaved.delete(id);
    },
    async remove(id) {
      // A write still in flight must not land after the delete and bring the entry back.
      await writing.get(id);
      await store.delete(`${CONNECTION_PREFIX}${id}`);
      touch(id);
      cache.delete(id);
      unsaved.delete(id);
      unreadable.delete(id);
      held.delete(id);
    },
    userKey: () => userKey,
    async setUserKey(key) {
      await store.set(USER_KEY_ACCOUNT, key);
      touch(USER_KEY_ACCOUNT);
      userKey = key;
    },
    connectionIds: () => [...new Set([...cache.keys(), ...unreadable])],
  };
}
