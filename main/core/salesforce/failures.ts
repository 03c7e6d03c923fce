/** Salesforce OAuth and REST statuses → ApiFailure. invalid_grant is terminal: the user must sign in again. */
import { parseRetryAfter, safeServerText, type ApiFailure } from '../http/api-failure.js';
import { parseWith } from '../http/json.js';
import type { HttpResponse } from '../http/request.js';
import { oauthErrorSchema, restErrorSchema } from './types.js';

export function salesforceFailure(response: HttpResponse, nowMs: number): ApiFailure {
  const { status } = response;
  const oauth = parseWith(oauthErrorSchema, response.text);
  const rest = parseWith(restErrorSchema, response.text)?.[0];
  const code = oauth?.error ?? rest?.errorCode ?? null;
  const description = safeServerText(oauth?.error_description ?? rest?.message);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);

  if (code === 'invalid_grant') return { kind: 'credentials-rejected', code, message: `Salesforce no longer accepts this sign-in (${description ?? 'invalid grant'}). Authorize the connection again.` };
  if (code === 'INVALID_SESSION_ID' || status === 401 || status === 403) {
    if (code === 'invalid_client' || code === 'invalid_client_id') return { kind: 'invalid-request', code, message: `Salesforce rejected the connected app's client id or secret (${code}).` };
    return { kind: 'credentials-rejected', code, message: 'Salesforce rejected the access token (session expired or invalid).' };
  }
  if (status === 429) return { kind: 'rate-limited', retryAfterMs, message: 'Salesforce asks us to slow down (rate limited).' };
  if (status === 408) return { kind: 'timeout', message: 'Salesforce timed out (408).' };
  if (status >= 500 && status <= 599) return { kind: 'server-error', status, retryAfterMs, message: `Salesforce had a server error (${status}).` };
  if (status === 400 && code) return { kind: 'invalid-request', code, message: `Salesforce refused the request: ${code}${description ? ` (${description})` : ''}.` };
  if (status === 404) return { kind: 'not-found', message: 'Salesforce could not find that address.' };
  return { kind: 'unexpected-response', status, message: `Salesforce answered with an unexpected status (${status}).` };
}
