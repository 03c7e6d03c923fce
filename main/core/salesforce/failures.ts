/**
 * Salesforce OAuth and REST statuses → ApiFailure. Only Salesforce's own terminal answers mean
 * "sign in again": invalid_grant (expired, revoked, inactive user), inactive_user / inactive_org,
 * INVALID_SESSION_ID, and the identity service's Bad_OAuth_Token. One invalid_grant is not
 * terminal: "ip restricted or invalid login hours" (the org's login hours or IP ranges) refuses
 * for now and passes by itself. Any other 401/403 (a proxy's HTML page, an unknown body) is not
 * understood: retried slowly.
 */
import { parseRetryAfter, safeServerCode, safeServerText, serverErrorWords, type ApiFailure } from '../http/api-failure.js';
import { parseWith } from '../http/json.js';
import type { HttpResponse } from '../http/request.js';
import { oauthErrorSchema, restErrorSchema } from './types.js';

/** Salesforce's documented OAuth request errors (a configuration to fix, not something to retry). */
const KNOWN_REQUEST_ERRORS = new Set(['invalid_request', 'unsupported_grant_type', 'unsupported_response_type', 'invalid_scope', 'redirect_uri_mismatch', 'invalid_client_credentials', 'invalid_app_access', 'unauthorized_client', 'unsupported_token_type', 'invalid_token']);

/** Salesforce's words for a login refused by the org's login hours or IP restrictions. */
const REFUSED_FOR_NOW = /\bip restricted\b|\blogin hours\b/i;

/**
 * Salesforce's invalid_grant descriptions in plain words (its raw "expired access/refresh token"
 * means revoked or expired); any other description is quoted as Salesforce's own.
 */
function grantWords(description: string | null): string {
  if (description === null) return '';
  if (/^expired access\/refresh token$/i.test(description)) return ': the sign-in was revoked or has expired';
  if (/^authentication failure$/i.test(description)) return ': the user could not be signed in (deactivated, or the password changed)';
  return ` (Salesforce said “${description}”)`;
}

export function salesforceFailure(response: HttpResponse, nowMs: number): ApiFailure {
  const { status } = response;
  const oauth = parseWith(oauthErrorSchema, response.text);
  const rest = parseWith(restErrorSchema, response.text)?.[0];
  const code = safeServerCode(oauth?.error ?? rest?.errorCode);
  const description = safeServerText(oauth?.error_description ?? rest?.message);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);

  if (code === 'invalid_grant' && description !== null && REFUSED_FOR_NOW.test(description)) {
    return { kind: 'refused-for-now', said: description, message: `Salesforce refuses this sign-in for now (“${description}”): outside the org’s login hours or from an IP address it does not allow. The app retries by itself.` };
  }
  if (code === 'invalid_grant') return { kind: 'credentials-rejected', code, message: `Salesforce no longer accepts this sign-in${grantWords(description)}. Authorize the connection again.` };
  if (code === 'inactive_user' || code === 'inactive_org') return { kind: 'credentials-rejected', code, message: `Salesforce no longer accepts this sign-in (${code === 'inactive_user' ? 'the user is inactive' : 'the org is inactive'}). Authorize the connection again.` };
  if (code === 'invalid_client' || code === 'invalid_client_id') return { kind: 'invalid-request', code, message: `Salesforce rejected the connected app's client id or secret (${code}).` };
  if (code === 'INVALID_SESSION_ID' || ((status === 401 || status === 403) && response.text.trim() === 'Bad_OAuth_Token')) {
    return { kind: 'credentials-rejected', code, message: 'Salesforce rejected the access token (session expired or invalid).' };
  }
  if (status === 401 || status === 403) return { kind: 'unexpected-response', status, message: `Salesforce (or a proxy in between) refused the request with ${status}${code ? ` (${code})` : ''} and no answer we recognise; retrying later.` };
  if (status === 429) return { kind: 'rate-limited', retryAfterMs, message: 'Salesforce asks us to slow down (rate limited).' };
  if (status === 408) return { kind: 'timeout', message: 'Salesforce timed out (408).' };
  if (status >= 500 && status <= 599) return { kind: 'server-error', status, retryAfterMs, message: serverErrorWords('Salesforce', status) };
  if (status === 400 && code && KNOWN_REQUEST_ERRORS.has(code)) return { kind: 'invalid-request', code, message: `Salesforce refused the request: ${code}${description ? ` (${description})` : ''}.` };
  if (status === 404) return { kind: 'not-found', message: 'Salesforce could not find that address.' };
  return { kind: 'unexpected-response', status, message: 'Salesforce gave an answer the app does not know.' };
}
