/**
 * Who the access token belongs to, asked of the instance itself (OpenID userinfo). Used where no
 * identity URL came with the tokens: the Data2CRM sign-in and pasted tokens.
 */
import { err, ok } from '../result.js';
import type { ApiResult } from '../http/api-failure.js';
import { parseWith } from '../http/json.js';
import { sendRequest } from '../http/request.js';
import { globalFetchTransport } from '../http/fetch-transport.js';
import type { HttpTransport } from '../ports.js';
import { z } from 'zod';
import { salesforceFailure } from './failures.js';
import { isTrustedSalesforceUrl } from './hosts.js';
import { salesforceId, serverName, type Identity } from './types.js';

const userInfoSchema = z.object({ user_id: salesforceId, organization_id: salesforceId, preferred_username: serverName, name: serverName.optional() });

export async function fetchUserInfo(options: {
  instanceUrl: string;
  accessToken: string;
  extraHosts?: readonly string[];
  http?: HttpTransport;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<ApiResult<Identity>> {
  if (!isTrustedSalesforceUrl(options.instanceUrl, options.extraHosts)) return err({ kind: 'invalid-request', code: null, message: 'The instance URL is not an https Salesforce address.' });
  const outcome = await sendRequest(options.http ?? globalFetchTransport, {
    method: 'GET',
    url: `${new URL(options.instanceUrl).origin}/services/oauth2/userinfo`,
    headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
    secrets: [options.accessToken],
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!outcome.ok) return outcome;
  if (outcome.response.status !== 200) return err(salesforceFailure(outcome.response, Date.now()));
  const body = parseWith(userInfoSchema, outcome.response.text);
  if (!body) return err({ kind: 'unexpected-response', status: 200, message: 'Salesforce sent user info the app does not understand.' });
  return ok({ userId: body.user_id, orgId: body.organization_id, username: body.preferred_username, displayName: body.name ?? body.preferred_username });
}
