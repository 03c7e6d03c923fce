/**
 * Typed Data2CRM.API client: applications and the health check. Every call takes a deadline,
 * every failure comes back as an ApiFailure, and the user key never appears in any message.
 */
import type { z } from 'zod';
import { err, ok } from '../result.js';
import type { ApiResult } from '../http/api-failure.js';
import { parseWith } from '../http/json.js';
import { sendRequest, type HttpRequest, type HttpResponse } from '../http/request.js';
import { globalFetchTransport } from '../http/fetch-transport.js';
import type { HttpTransport } from '../ports.js';
import { data2crmFailure } from './failures.js';
import {
  applicationListSchema,
  applicationSchema,
  countSchema,
  createdSchema,
  toApplicationBody,
  type ApplicationDetails,
  type ApplicationInput,
  type ApplicationSummary,
} from './types.js';

export interface Data2CrmClientOptions {
  /** e.g. https://api-2445581398133.apicast.io:443/v1 (already validated, no trailing slash). */
  readonly baseUrl: string;
  /** Read from the secret store on each call, so a replaced key takes effect at once. */
  readonly userKey: () => Promise<string | null> | string | null;
  readonly http?: HttpTransport;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export type HealthReport = { applicationKey: string; crmUserCount: number };

export function createData2CrmClient(options: Data2CrmClientOptions) {
  const transport = options.http ?? globalFetchTransport;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const now = options.now ?? Date.now;

  async function call<T>(
    method: HttpRequest['method'],
    path: string,
    expect: number,
    schema: z.ZodType<T> | null,
    extra: { body?: unknown; secrets?: readonly string[]; applicationKey?: string; signal?: AbortSignal | undefined } = {},
  ): Promise<ApiResult<T>> {
    const userKey = await options.userKey();
    if (!userKey) return err({ kind: 'service-key-rejected', message: 'No Data2CRM user key is set. Add it in Settings → Account.' });
    const headers: Record<string, string> = { accept: 'application/json', 'X-API2CRM-USER-KEY': userKey };
    if (extra.applicationKey) headers['X-API2CRM-APPLICATION-KEY'] = extra.applicationKey;
    if (extra.body !== undefined) headers['content-type'] = 'application/json';
    const outcome = await sendRequest(transport, {
      method,
      url: `${options.baseUrl}${path}`,
      headers,
      ...(extra.body !== undefined ? { body: JSON.stringify(extra.body) } : {}),
      secrets: [userKey, extra.applicationKey, ...(extra.secrets ?? [])],
      timeoutMs,
      ...(extra.signal ? { signal: extra.signal } : {}),
    });
    if (!outcome.ok) return outcome;
    return interpret(outcome.response, expect, schema);
  }

  function interpret<T>(response: HttpResponse, expect: number, schema: z.ZodType<T> | null): ApiResult<T> {
    if (response.status !== expect) {
      if (response.status >= 200 && response.status < 300) return err({ kind: 'unexpected-response', status: response.status, message: `Data2CRM answered ${response.status} where ${expect} was expected.` });
      return err(data2crmFailure(response, now()));
    }
    if (schema === null) return ok(undefined as T);
    const value = parseWith(schema, response.text);
    if (value === null) return err({ kind: 'unexpected-response', status: response.status, message: 'Data2CRM sent a response the app does not understand.' });
    return ok(value);
  }

  const appPath = (key: string) => `/application/${encodeURIComponent(key)}`;
  /** The secrets a registration carries (the instance URL is none). */
  const tokensOf = ({ credentials }: ApplicationInput) => ['refreshToken' in credentials ? credentials.refreshToken : '', credentials.accessToken];

  const client = {
    createApplication: async (input: ApplicationInput, o: CallOptions = {}): Promise<ApiResult<string>> => {
      const created = await call('POST', '/application', 201, createdSchema, { body: toApplicationBody(input), secrets: tokensOf(input), signal: o.signal });
      return created.ok ? ok(created.value.key) : created;
    },
    getApplication: (key: string, o: CallOptions = {}): Promise<ApiResult<ApplicationDetails>> => call('GET', appPath(key), 200, applicationSchema, { secrets: [key], signal: o.signal }),
    /** `/application` per the main spec; one published spec says `/application/list`, tried on 404. */
    listApplications: async (page = 1, pageSize = 25, o: CallOptions = {}): Promise<ApiResult<ApplicationSummary[]>> => {
      const query = `?page=${page}&page_size=${pageSize}`;
      const first = await call('GET', `/application${query}`, 200, applicationListSchema, { signal: o.signal });
      if (first.ok || first.error.kind !== 'not-found') return first;
      return call('GET', `/application/list${query}`, 200, applicationListSchema, { signal: o.signal });
    },
    countApplications: async (o: CallOptions = {}): Promise<ApiResult<number>> => {
      const counted = await call('GET', '/application/count', 200, countSchema, { signal: o.signal });
      return counted.ok ? ok(counted.value.total) : counted;
    },
    /** Sends the whole body: partial update is undocumented. */
    updateApplication: async (key: string, input: ApplicationInput, o: CallOptions = {}): Promise<ApiResult<void>> => {
      const updated = await call('PUT', appPath(key), 200, createdSchema, { body: toApplicationBody(input), secrets: [key, ...tokensOf(input)], signal: o.signal });
      return updated.ok ? ok(undefined) : updated;
    },
    deleteApplication: (key: string, o: CallOptions = {}): Promise<ApiResult<void>> => call('DELETE', appPath(key), 204, null, { secrets: [key], signal: o.signal }),
    /** A cheap CRM call through the application: proves its Salesforce credentials work now. */
    countCrmUsers: async (applicationKey: string, o: CallOptions = {}): Promise<ApiResult<number>> => {
      const counted = await call('GET', '/user/count', 200, countSchema, { applicationKey, signal: o.signal });
      return counted.ok ? ok(counted.value.total) : counted;
    },
    /** Health: the application says it is authorized, and one CRM call goes through. */
    checkHealth: async (applicationKey: string, o: CallOptions = {}): Promise<ApiResult<HealthReport>> => {
      const app = await client.getApplication(applicationKey, o);
      if (!app.ok) return app;
      if (!app.value.is_authorized) return err({ kind: 'credentials-rejected', code: 'NOT_AUTHORIZED', message: 'Data2CRM reports that the application is not authorized.' });
      const users = await client.countCrmUsers(applicationKey, o);
      return users.ok ? ok({ applicationKey, crmUserCount: users.value }) : users;
    },
  };
  return client;
}

export type Data2CrmClient = ReturnType<typeof createData2CrmClient>;
