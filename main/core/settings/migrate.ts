/**
 * Reads a settings document of any earlier version: every older version migrates forward one step
 * at a time, then the schema checks it; a document that does not fully match is salvaged field by
 * field (salvage.ts). Apart from schema.ts so that the schema and the salvage, which both need the
 * schema, do not import each other.
 */
import { loginBaseUrl, parseBaseUrl } from './endpoints.js';
import { salvageSettings } from './salvage.js';
import { DEFAULT_REFRESH_SETTINGS, defaultSettings, settingsSchema, SETTINGS_VERSION, type Settings } from './schema.js';

type Doc = Record<string, unknown>;

/** Endpoints from the file obey the rule typed ones do: https, or http on loopback only. */
function endpointsValid(e: Settings['endpoints']): boolean {
  return parseBaseUrl(e.data2crmApiBase).ok && parseBaseUrl(e.data2crmAuthBase).ok && loginBaseUrl(e.salesforceLoginHost).ok;
}

/** Version 1 told about trouble after N failures in a row; version 2 after it has lasted a while. */
function notifyByDuration(doc: Doc): Doc {
  const refresh = doc['refresh'];
  if (typeof refresh !== 'object' || refresh === null || Array.isArray(refresh)) return { ...doc, version: 2 };
  const byDuration: Doc = { ...(refresh as Doc), notifyAfterMs: DEFAULT_REFRESH_SETTINGS.notifyAfterMs };
  delete byDuration['notifyAfterFailures'];
  return { ...doc, version: 2, refresh: byDuration };
}

/** MIGRATIONS[n] turns a version-n document into version n+1. Version 0 is a file without `version`. */
export const MIGRATIONS: Record<number, (doc: Doc) => Doc> = {
  0: (doc) => ({ ...defaultSettings(), ...doc, version: 1 }),
  1: notifyByDuration,
};

/**
 * A newer version's document: what this version can read of it, field by field. Nothing is set
 * aside (the file stays that version's, see newer-settings.ts), and connection records are left in
 * it: they are the newer version's to read.
 */
function fromNewerVersion(doc: Doc, version: number): MigrationOutcome {
  const { settings } = salvageSettings({ ...doc, version: SETTINGS_VERSION, connections: [] });
  return { ok: true, settings, migrated: false, setAside: [], resetFields: [], newer: version };
}

export type MigrationOutcome =
  | { ok: true; settings: Settings; migrated: boolean; setAside: readonly unknown[]; resetFields: readonly string[]; newer?: number }
  | { ok: false; reason: string };

export function migrateSettings(data: unknown): MigrationOutcome {
  if (data === undefined || (typeof data === 'object' && data !== null && Object.keys(data).length === 0)) return { ok: true, settings: defaultSettings(), migrated: false, setAside: [], resetFields: [] };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, reason: 'the file does not hold a settings object' };
  let doc = data as Doc;
  let version = doc['version'] === undefined ? 0 : doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return { ok: false, reason: 'the file has no valid version' };
  if (version > SETTINGS_VERSION) return fromNewerVersion(doc, version);
  const startVersion = version;
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) return { ok: false, reason: `no migration from settings version ${version}` };
    doc = step(doc);
    version++;
  }
  const parsed = settingsSchema.safeParse(doc);
  const migrated = version !== startVersion;
  if (parsed.success && endpointsValid(parsed.data.endpoints)) return { ok: true, settings: parsed.data, migrated, setAside: [], resetFields: [] };
  // Only what is wrong goes: one bad record or field never costs the others.
  return { ok: true, migrated, ...salvageSettings(doc) };
}
