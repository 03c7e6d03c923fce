/** What the app sent, with every secret reduced to a fingerprint, for tests to assert on. */

export interface LoggedRequest {
  readonly at: number;
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  status?: number;
}

// Body and query fields; every header but content-type is masked separately.
const SECRET_NAMES = /token|secret|password|key|code|verifier|value/i;

export function mask(value: string): string {
  return value.length <= 8 ? '***' : `***${value.slice(-4)}`;
}

export function maskDeep(value: unknown, parentKey = ''): unknown {
  if (typeof value === 'string') return SECRET_NAMES.test(parentKey) ? mask(value) : value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, parentKey));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, k);
    return out;
  }
  return value;
}

export function maskQuery(pathWithQuery: string): string {
  const url = new URL(pathWithQuery, 'http://sandbox');
  for (const [k, v] of [...url.searchParams]) if (SECRET_NAMES.test(k)) url.searchParams.set(k, mask(v));
  return url.pathname + (url.search ? url.search : '');
}
