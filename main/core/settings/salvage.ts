/**
 * Loads what can be loaded from a settings document that does not fully match the schema: every
 * valid connection record is kept, invalid ones are set aside whole (the caller keeps them in a
 * side file), and each invalid global field falls back to its default on its own. Endpoints are
 * held to the same rule as typed ones (https, or http on loopback only).
 */
import type { z } from 'zod';
import { loginBaseUrl, parseBaseUrl } from './endpoints.js';
import { connectionRecordSchema, defaultSettings, settingsSchema, type ConnectionRecord, type Settings } from './schema.js';

export interface Salvaged {
  readonly settings: Settings;
  /** Connection records that did not validate, exactly as they were in the file. */
  readonly setAside: readonly unknown[];
  /** Dotted names of global fields that fell back to their defaults. */
  readonly resetFields: readonly string[];
}

type Doc = Record<string, unknown>;
const isObject = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

const ENDPOINT_CHECKS: Record<keyof Settings['endpoints'], (value: string) => boolean> = {
  data2crmApiBase: (v) => parseBaseUrl(v).ok,
  data2crmAuthBase: (v) => parseBaseUrl(v).ok,
  salesforceLoginHost: (v) => loginBaseUrl(v).ok,
};

/** One object section, field by field: a bad field takes its default, the good ones stay. */
function salvageSection(name: string, schema: z.ZodObject, value: unknown, fallback: Doc, reset: string[]): Doc {
  if (!isObject(value)) {
    if (value !== undefined) reset.push(name);
    return fallback;
  }
  const out: Doc = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const parsed = (field as z.ZodType).safeParse(value[key]);
    if (parsed.success) out[key] = parsed.data;
    else {
      out[key] = fallback[key];
      reset.push(`${name}.${key}`);
    }
  }
  return out;
}

function salvageEndpoints(value: unknown, reset: string[]): Settings['endpoints'] {
  const fallback = defaultSettings().endpoints;
  const out = { ...fallback };
  for (const key of Object.keys(ENDPOINT_CHECKS) as Array<keyof Settings['endpoints']>) {
    const raw = isObject(value) ? value[key] : undefined;
    if (typeof raw === 'string' && ENDPOINT_CHECKS[key](raw)) out[key] = raw;
    else if (raw !== undefined || value !== undefined) reset.push(`endpoints.${key}`);
  }
  return out;
}

function salvageConnections(value: unknown, setAside: unknown[]): ConnectionRecord[] {
  if (!Array.isArray(value)) {
    if (value !== undefined) setAside.push(value);
    return [];
  }
  const kept: ConnectionRecord[] = [];
  for (const raw of value) {
    const parsed = connectionRecordSchema.safeParse(raw);
    if (parsed.success && !kept.some((c) => c.id === parsed.data.id)) kept.push(parsed.data);
    else setAside.push(raw);
  }
  return kept;
}

export function salvageSettings(doc: Doc): Salvaged {
  const defaults = defaultSettings();
  const setAside: unknown[] = [];
  const reset: string[] = [];
  const shape = settingsSchema.shape;
  const hosts = shape.extraInstanceHosts.safeParse(doc['extraInstanceHosts']);
  if (!hosts.success) reset.push('extraInstanceHosts');
  const settings: Settings = settingsSchema.parse({
    version: defaults.version,
    endpoints: salvageEndpoints(doc['endpoints'], reset),
    extraInstanceHosts: hosts.success ? hosts.data : defaults.extraInstanceHosts,
    signIn: salvageSection('signIn', shape.signIn, doc['signIn'], defaults.signIn, reset),
    refresh: salvageSection('refresh', shape.refresh.unwrap(), doc['refresh'], defaults.refresh, reset),
    general: salvageSection('general', shape.general.unwrap(), doc['general'], defaults.general, reset),
    connections: salvageConnections(doc['connections'], setAside),
  });
  return { settings, setAside, resetFields: reset };
}

/** What a set-aside record was called, for telling the user which one it was. */
export function setAsideName(raw: unknown): string {
  return isObject(raw) && typeof raw['label'] === 'string' && raw['label'].trim() ? raw['label'].trim().slice(0, 100) : 'an unnamed connection';
}
