/** Data2CRM statuses and error codes → ApiFailure. */
import { parseRetryAfter, safeServerCode, safeServerText, serverErrorWords, type ApiFailure } from '../http/api-failure.js';
import { parseWith } from '../http/json.js';
import type { HttpResponse } from '../http/request.js';
import { errorBodySchema } from './types.js';

export function data2crmFailure(response: HttpResponse, nowMs: number): ApiFailure {
  const { status } = response;
  const body = parseWith(errorBodySchema, response.text);
  const code = safeServerCode(body?.detail.code);
  const serverText = safeServerText(body?.detail.message);
  const says = (fallback: string) => serverText ?? fallback;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);

  if (status === 401 && code === 'SERVICE_UNAUTHORIZED') return { kind: 'service-key-rejected', message: 'Data2CRM rejected the user key. Check it in Settings → Account.' };
  if (status === 401 && code === 'UNAUTHORIZED') return { kind: 'credentials-rejected', code, message: `Data2CRM says the Salesforce credentials are not valid: ${says('they were rejected')}.` };
  if (status === 404) return { kind: 'not-found', message: `Data2CRM could not find it: ${says('not found')}.` };
  if (status === 400 || status === 422) return { kind: 'invalid-request', code, message: `Data2CRM refused the request: ${says('invalid request')}.` };
  if (status === 403) return { kind: 'forbidden', code, message: `Data2CRM does not allow this: ${says(code ?? 'forbidden')}.` };
  if (status === 429) return { kind: 'rate-limited', retryAfterMs, message: 'Data2CRM asks us to slow down (rate limited).' };
  if (status === 408) return { kind: 'timeout', message: 'Data2CRM timed out (408).' };
  if (status >= 500 && status <= 599) return { kind: 'server-error', status, retryAfterMs, message: serverErrorWords('Data2CRM', status) };
  return { kind: 'unexpected-response', status, message: 'Data2CRM gave an answer the app does not know.' };
}
