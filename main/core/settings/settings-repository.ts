/**
 * Loads, migrates and saves the settings. Only a file that is not JSON or not an object is backed
 * up whole and replaced by defaults; a newer app's file is read as far as it can be and never
 * written (newer-settings.ts). Otherwise invalid connection records
 * are set aside in a side file, invalid global fields take their defaults one by one, and every
 * valid connection loads; the original file is kept beside the salvaged one. The caller gets a
 * notice naming what happened and where the originals are, once. Never a crash loop.
 */
import type { Logger, SettingsFile, StateStore } from '../ports.js';
import { setAsideName } from './salvage.js';
import { migrateSettings } from './migrate.js';
import { NEWER_SETTINGS, newerSettingsMessage, readOnlySettingsFile } from './newer-settings.js';
import { connectionRecordSchema, defaultSettings, settingsSchema, type ConnectionRecord, type Settings } from './schema.js';
import { shareRepeatedValues } from './shared-values.js';

const preferencesSchema = settingsSchema.omit({ connections: true });

export interface SettingsRecovery {
  readonly reason: string;
  readonly backupPath: string | null;
  /** One sentence (or two) for the user. */
  readonly message: string;
  /** Names of the connection records set aside, for the notice. */
  readonly setAside: readonly string[];
  /** The file is a newer version's: nothing was changed, and the notice says to update the app. */
  readonly newer?: boolean;
}

export interface SettingsRepository {
  /** Preferences, and `connections` as an array built on first read after a change (bulk paths and tests). */
  get(): Settings;
  /** Why a change of preferences would be refused now (a newer version's file), so nobody is asked first; null when it can be saved. */
  preferencesRefusal(): string | null;
  /** Any change, diffed against the current document (O(N) when connections change: bulk paths only). */
  update(change: (current: Settings) => Settings): Settings;
  /** One connection by id, from memory. */
  connection(id: string): ConnectionRecord | undefined;
  connectionCount(): number;
  /** Adds or replaces one connection: one validated row written, nothing else copied or compared. */
  putConnection(record: ConnectionRecord): ConnectionRecord;
  /** Replaces one connection by a change of the current record; undefined when it does not exist. */
  updateConnection(id: string, change: (current: ConnectionRecord) => ConnectionRecord): ConnectionRecord | undefined;
  removeConnection(id: string): void;
  /** Told after each write which connections changed or went (the app service updates their views). */
  onConnectionsChanged(listener: (change: ConnectionChange) => void): () => void;
}

export interface ConnectionChange {
  readonly put: readonly string[];
  readonly removed: readonly string[];
}

function tryWrite(file: SettingsFile, settings: Record<string, unknown>, logger: Logger): void {
  try {
    file.write(settings);
  } catch (error) {
    // A read-only or full disk must not stop the app: the settings stay usable in memory.
    logger.warn('settings: could not write the settings file at startup', { error: error instanceof Error ? error.message : 'unknown' });
  }
}

/** Moves the file aside (the caller writes a new one); null when there was none or it could not be moved. */
function keepOriginal(file: SettingsFile, kind: 'unreadable' | 'original', logger: Logger): string | null {
  try {
    return file.backup(kind);
  } catch {
    logger.warn('settings: could not keep the original file beside the new one', { kind });
    return null;
  }
}

/**
 * Parts of the settings did not load. Records set aside go to a side file; when the file itself
 * was salvaged (records or fields taken out of it), the whole original is kept beside it first,
 * since the salvaged document replaces it.
 */
function partialRecovery(file: SettingsFile, setAside: readonly unknown[], resetFields: readonly string[], fileSalvaged: boolean, logger: Logger): SettingsRecovery {
  const names = setAside.map(setAsideName);
  const originalPath = fileSalvaged ? keepOriginal(file, 'original', logger) : null;
  let sidePath: string | null = null;
  if (setAside.length) {
    try {
      sidePath = file.keepAside({ reason: 'these connection records did not match the expected shape', records: setAside });
    } catch {
      sidePath = originalPath ?? keepOriginal(file, 'original', logger);
    }
  }
  const parts: string[] = [];
  if (names.length) {
    parts.push(`${names.length === 1 ? 'One connection' : `${names.length} connections`} could not be read and ${names.length === 1 ? 'was' : 'were'} set aside (${names.join(', ')})${sidePath ? `; ${names.length === 1 ? 'it is' : 'they are'} kept at ${sidePath}` : ''}. Their keychain entries were not touched: Settings → Connections lists them to recover or delete.`);
  }
  if (resetFields.length) parts.push(`These settings were invalid and went back to their defaults: ${resetFields.join(', ')}.`);
  if (originalPath) parts.push(`The original settings file was kept at ${originalPath}.`);
  const reason = [names.length ? `${names.length} invalid connection record(s)` : '', resetFields.length ? `invalid fields: ${resetFields.join(', ')}` : ''].filter(Boolean).join('; ');
  logger.warn('settings: invalid parts set aside or reset; everything else loaded', { setAside: names.length, resetFields, sidePath, originalPath });
  return { reason, backupPath: originalPath ?? sidePath, message: `${parts.join(' ')} Every other connection keeps running.`, setAside: names };
}

const PREFERENCE_KEYS = ['version', 'endpoints', 'extraInstanceHosts', 'signIn', 'refresh', 'general'] as const;

/** Connections whose object changed (a new object means a change: the core never mutates records). */
function connectionChanges(before: readonly ConnectionRecord[], after: readonly ConnectionRecord[]) {
  const put: ConnectionRecord[] = [];
  const sameOrder = before.length === after.length && after.every((c, i) => c.id === before[i]?.id);
  if (sameOrder) {
    after.forEach((c, i) => c !== before[i] && put.push(c));
    return { put, remove: [] as string[] };
  }
  const old = new Map(before.map((c) => [c.id, c]));
  for (const c of after) if (old.get(c.id) !== c) put.push(c);
  const kept = new Set(after.map((c) => c.id));
  return { put, remove: before.filter((c) => !kept.has(c.id)).map((c) => c.id) };
}

/**
 * Connection records from the state store; one that does not validate is set aside like an
 * invalid record in the file. Records still in the settings file (written by a version that kept
 * them there) are moved into the store: the file's copy wins, as it is the newer one.
 */
function loadConnections(state: StateStore, fromFile: readonly ConnectionRecord[], readOnly: boolean) {
  const setAside: unknown[] = [];
  const removeIds: string[] = [];
  const byId = new Map<string, ConnectionRecord>();
  const share = shareRepeatedValues();
  for (const { id, record } of state.loadConnections()) {
    const parsed = connectionRecordSchema.safeParse(record);
    if (parsed.success && parsed.data.id === id) byId.set(id, share(parsed.data));
    // A newer version's record is not damage: it stays as it is, unshown, for the version that wrote it.
    else if (!readOnly) {
      setAside.push(record);
      removeIds.push(id);
    }
  }
  for (const record of fromFile) byId.set(record.id, share(record));
  return { connections: [...byId.values()], setAside, removeIds };
}

/**
 * Records the settings file still holds go into the store (and invalid rows leave it); false when
 * the store refused (a lock, a full disk): the file then keeps them and the next start tries again.
 */
function moveIntoStore(state: StateStore, fromFile: readonly ConnectionRecord[], removeIds: readonly string[], logger: Logger): boolean {
  try {
    state.saveConnections(fromFile.map((c) => ({ id: c.id, record: c })), removeIds);
    return true;
  } catch (error) {
    logger.warn('settings: connection records could not be moved into the state database; the settings file keeps them', { error: error instanceof Error ? error.message : 'unknown' });
    return false;
  }
}

export interface OpenSettingsOptions {
  /** The state database was made by a newer version: nothing is written to it or set aside from it. */
  readonly readOnly?: boolean;
}

/**
 * Preferences live in the settings file; connection records and their volatile state in the
 * state store, one row each. An update writes only what changed: one row for one connection,
 * the file only when a preference changed.
 */
export function openSettings(file: SettingsFile, logger: Logger, state: StateStore, options: OpenSettingsOptions = {}): { repository: SettingsRepository; recovery: SettingsRecovery | null } {
  const readOnly = options.readOnly ?? false;
  let recovery: SettingsRecovery | null = null;
  /** Records the file keeps because the store refused them at start. */
  let stillInFile: readonly ConnectionRecord[] = [];
  let current: Settings;
  const read = file.read();
  const outcome = read.ok ? migrateSettings(read.data) : ({ ok: false, reason: read.reason } as const);
  if (outcome.ok && outcome.newer !== undefined) {
    // Records this version cannot read stay where they are, unshown, as in a newer database: a
    // side file beside the settings file would be a write, and they may well be the newer version's.
    current = { ...outcome.settings, connections: loadConnections(state, [], true).connections };
    logger.warn('settings: the settings file was made by a newer version; read what this version can, the file is left as it is', { version: outcome.newer });
    recovery = { reason: NEWER_SETTINGS, backupPath: null, setAside: [], newer: true, message: newerSettingsMessage() };
    return { recovery, repository: connectionMap(current, readOnlySettingsFile(file, outcome.newer), state, [], NEWER_SETTINGS) };
  }
  if (outcome.ok) {
    const loaded = loadConnections(state, outcome.settings.connections, readOnly);
    current = { ...outcome.settings, connections: loaded.connections };
    const setAside = [...outcome.setAside, ...loaded.setAside];
    // The side file first: nothing is removed until the set-aside records are safe.
    if (setAside.length || outcome.resetFields.length) recovery = partialRecovery(file, setAside, outcome.resetFields, outcome.setAside.length > 0 || outcome.resetFields.length > 0, logger);
    // Into the store before the file forgets them: a crash (or a refused write) in between imports them again.
    const moved = !readOnly && moveIntoStore(state, outcome.settings.connections, loaded.removeIds, logger);
    stillInFile = moved ? [] : outcome.settings.connections;
    if (outcome.migrated || recovery || (moved && outcome.settings.connections.length)) tryWrite(file, { ...current, connections: stillInFile }, logger);
  } else {
    const backupPath = keepOriginal(file, 'unreadable', logger);
    current = { ...defaultSettings(), connections: loadConnections(state, [], readOnly).connections };
    tryWrite(file, { ...current, connections: [] }, logger);
    recovery = {
      reason: outcome.reason,
      backupPath,
      setAside: [],
      message: `Your settings could not be read (${outcome.reason}), so defaults were loaded.${backupPath ? ` The old file was kept at ${backupPath}.` : ''} Your keychain entries were not touched.`,
    };
    logger.warn('settings: unreadable file backed up, defaults loaded', { reason: outcome.reason, backupPath });
  }

  return { recovery, repository: connectionMap(current, file, state, stillInFile) };
}

/** What a check moves when nothing else happened; the store may commit such a write a moment later. */
const checkTimesSchema = connectionRecordSchema.pick({ lastVerifiedAt: true, lastRefreshedAt: true, tokenIssuedAt: true, tokenReceivedAt: true });
const CHECK_TIMES: ReadonlySet<string> = new Set(Object.keys(checkTimesSchema.shape));
const RECORD_KEYS: ReadonlySet<string> = new Set(Object.keys(connectionRecordSchema.shape));

/**
 * True when only check times differ from a record that was written whole (same fields, none
 * unknown): a crash may lose such a write, never a change of state, failures or a pending push.
 */
function onlyCheckTimesChanged(before: ConnectionRecord, after: ConnectionRecord): boolean {
  const a = after as Record<string, unknown>;
  const b = before as Record<string, unknown>;
  let keys = 0;
  for (const key in a) {
    if (!RECORD_KEYS.has(key) || !(key in b) || (a[key] !== b[key] && !CHECK_TIMES.has(key))) return false;
    keys += 1;
  }
  return keys === Object.keys(b).length;
}

/**
 * The in-memory document: preferences, and the connections in a Map keyed by id (insertion order
 * is the list order), so recording one check touches one entry and writes one row, whatever N.
 */
function connectionMap(initial: Settings, file: SettingsFile, state: StateStore, keptInFile: readonly ConnectionRecord[], refusal: string | null = null): SettingsRepository {
  const { connections: initialConnections, ...initialPreferences } = initial;
  let preferences: Omit<Settings, 'connections'> = initialPreferences;
  const byId = new Map(initialConnections.map((c) => [c.id, c]));
  /** The array form, built when first read after a change. */
  let list: readonly ConnectionRecord[] | null = null;
  let document: Settings | null = null;
  const listeners = new Set<(change: ConnectionChange) => void>();
  /** Until its row is written, a record the store refused at start stays in the file (a preference write keeps it). */
  const inFile = new Map(keptInFile.map((c) => [c.id, c]));
  const connectionList = () => (list ??= [...byId.values()]);

  function current(): Settings {
    if (document) return document;
    const built = { ...preferences } as Settings;
    // A getter: reading preferences (every check does) never copies the connections.
    Object.defineProperty(built, 'connections', { enumerable: true, get: connectionList });
    return (document = built);
  }

  function told(put: readonly string[], removed: readonly string[]): void {
    if (!put.length && !removed.length) return;
    list = null;
    for (const listener of listeners) listener({ put, removed });
  }

  function save(rows: readonly ConnectionRecord[], remove: readonly string[]): void {
    const before = rows.length === 1 && !remove.length ? byId.get(rows[0]!.id) : undefined;
    const routine = before !== undefined && onlyCheckTimesChanged(before, rows[0]!);
    // Parse before writing: a bug can never persist a malformed record. A routine write differs
    // from a record parsed whole only in its times, so those are what it checks.
    if (routine) checkTimesSchema.parse(rows[0]);
    state.saveConnections(rows.map((c) => ({ id: c.id, record: routine ? c : connectionRecordSchema.parse(c) })), remove, { routine });
    if (inFile.size) for (const id of [...rows.map((c) => c.id), ...remove]) inFile.delete(id);
    for (const c of rows) byId.set(c.id, c);
    for (const id of remove) byId.delete(id);
    told(rows.map((c) => c.id), remove);
  }

  return {
    get: current,
    preferencesRefusal: () => refusal,
    update(change) {
      const before = current();
      const next = change(before);
      const preferencesChanged = PREFERENCE_KEYS.some((key) => next[key] !== before[key]);
      const parsed = preferencesChanged ? preferencesSchema.parse(next) : null;
      const after = next.connections;
      const { put, remove } = after === list ? { put: [], remove: [] } : connectionChanges(connectionList(), after);
      save(put, remove);
      if (parsed) {
        file.write({ ...parsed, connections: [...inFile.values()] });
        preferences = parsed;
        document = null;
      }
      return current();
    },
    connection: (id) => byId.get(id),
    connectionCount: () => byId.size,
    putConnection(record) {
      save([record], []);
      return record;
    },
    updateConnection(id, change) {
      const existing = byId.get(id);
      if (!existing) return undefined;
      const next = change(existing);
      save([next], []);
      return next;
    },
    removeConnection(id) {
      if (byId.has(id)) save([], [id]);
    },
    onConnectionsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
