/**
 * The one closed set every Data2CRM and Salesforce failure is mapped into, once, here in the
 * core. Messages are for people and never contain a secret (server text is redacted and cut).
 */
import { redactText } from '../redact.js';
import type { Result } from '../result.js';

export type ApiFailure =
  /** Data2CRM refused our user key (401 SERVICE_UNAUTHORIZED): a global problem, not a refresh. */
  | { kind: 'service-key-rejected'; message: string }
  /** The CRM credentials are dead: Data2CRM 401 UNAUTHORIZED, Salesforce invalid_grant or 401. */
  | { kind: 'credentials-rejected'; code: string | null; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'invalid-request'; code: string | null; message: string }
  /** 403: limits, features not enabled, not allowed. */
  | { kind: 'forbidden'; code: string | null; message: string }
  | { kind: 'rate-limited'; retryAfterMs: number | null; message: string }
  | { kind: 'server-error'; status: number; retryAfterMs: number | null; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'unexpected-response'; status: number | null; message: string };

export type ApiFailureKind = ApiFailure['kind'];
export type ApiResult<T> = Result<T, ApiFailure>;

/** Worth retrying later with backoff; everything else needs a person or a config change. */
export function isTransient(failure: ApiFailure): boolean {
  return failure.kind === 'rate-limited' || failure.kind === 'server-error' || failure.kind === 'timeout' || failure.kind === 'network';
}

/** How long the server asked us to wait, when it did. */
export function retryAfterOf(failure: ApiFailure): number | null {
  return failure.kind === 'rate-limited' || failure.kind === 'server-error' ? failure.retryAfterMs : null;
}

const MAX_SERVER_TEXT = 200;

/** Server-provided text made safe to show: no control characters, no token-like strings, short. */
export function safeServerText(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const clean = redactText(text.replace(/[\u0000-\u001f\u007f]+/g, ' ')).trim();
  if (!clean) return null;
  return clean.length > MAX_SERVER_TEXT ? `${clean.slice(0, MAX_SERVER_TEXT)}…` : clean;
}

/** Retry-After is either delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), 24 * 3600) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
