/**
 * The one closed set every Data2CRM and Salesforce failure is mapped into, once, here in the
 * core. Messages are for people and never contain a secret (server text is redacted and cut).
 */
import { redactText } from '../redact.js';
import { redactHeldSecrets } from '../secret-redactor.js';
import type { Result } from '../result.js';

export type ApiFailure =
  /** Data2CRM refused our user key (401 SERVICE_UNAUTHORIZED): a global problem, not a refresh. */
  | { kind: 'service-key-rejected'; message: string }
  /** The CRM credentials are dead: Data2CRM 401 UNAUTHORIZED, Salesforce invalid_grant or 401. */
  | { kind: 'credentials-rejected'; code: string | null; message: string }
  | { kind: 'not-found'; message: string }
  /**
   * Salesforce refuses this sign-in for now, not for good: outside the org's login hours or from
   * an IP range it does not allow (invalid_grant "ip restricted or invalid login hours"). Retried
   * slowly; it recovers by itself. `said`: Salesforce's own words, bounded.
   */
  | { kind: 'refused-for-now'; said: string; message: string }
  | { kind: 'invalid-request'; code: string | null; message: string }
  /** 403: limits, features not enabled, not allowed. */
  | { kind: 'forbidden'; code: string | null; message: string }
  | { kind: 'rate-limited'; retryAfterMs: number | null; message: string }
  | { kind: 'server-error'; status: number; retryAfterMs: number | null; message: string }
  | { kind: 'timeout'; message: string }
  /** `code`: the system's (ENOTFOUND …), for logs and diagnostics; the message says it in words. */
  | { kind: 'network'; message: string; code?: string }
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

/** Control characters (C0, C1): a line break or a bell in a server's text becomes a space. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;
/**
 * Bidirectional controls (LRM, RLM, ALM, the embeddings and overrides U+202A–U+202E, the
 * isolates U+2066–U+2069) are dropped: they are invisible, and can make "gro.elcaro" read as
 * "oracle.org" in a notification.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const unshowable = (text: string) => text.replace(BIDI_CONTROLS, '').replace(CONTROLS, ' ');

/** A name or line from a server (a username, an application's description) without characters that could disguise it. */
export function showable(text: string): string {
  return unshowable(text).trim();
}

/**
 * Server-provided text made safe to show: held secrets removed while its line breaks still
 * show where a wrapped key continues, then no control or bidirectional characters, no
 * token-shaped strings, short.
 */
export function safeServerText(text: unknown, max = MAX_SERVER_TEXT): string | null {
  if (typeof text !== 'string') return null;
  const clean = redactText(unshowable(redactHeldSecrets(text))).trim();
  if (!clean) return null;
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * An error code from a server: a word-with-underscores code (invalid_grant, SERVICE_UNAUTHORIZED)
 * is kept whole up to 60 characters; anything else is bounded like any server text.
 */
export function safeServerCode(code: unknown): string | null {
  if (typeof code !== 'string') return null;
  return /^[A-Za-z]+(?:_[A-Za-z0-9]+)*$/.test(code) && code.length <= 60 ? code : safeServerText(code, 40);
}

const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * Retry-After is either delta-seconds or an HTTP date, both capped at 24 h; null when absent,
 * negative, unreadable, or a date already past.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP date names a weekday and a month; anything else (e.g. "-5") is not one.
  if (!/^[A-Za-z]{3},/.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || date <= nowMs) return null;
  return Math.min(date - nowMs, MAX_RETRY_AFTER_MS);
}

/** A 5xx in plain words (the status stays in the failure, and keep-alive logs it): 503 is "briefly unavailable". */
export function serverErrorWords(service: string, status: number): string {
  return status === 503 ? `${service} is briefly unavailable.` : `${service} had a server error.`;
}

/** The technical side of a failure, for the log only (status or code), never shown in a window. */
export function failureCode(failure: ApiFailure): string {
  if ('status' in failure && failure.status !== null) return `${failure.kind} ${failure.status}`;
  if ('code' in failure && failure.code) return `${failure.kind} ${failure.code}`;
  return failure.kind;
}
