/**
 * A local, faithful stand-in for Data2CRM.API, Data2CRM's OAuth helper and Salesforce, on one
 * loopback HTTP server. Tests start it in-process (port 0); `npm run sandbox` starts it on a fixed
 * port for trying the app by hand. See README.md here for what is confirmed and what is assumed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Route, RouteContext } from './context.js';
import { controlPageRoutes } from './control-page.js';
import { FaultPlan, type FaultRule } from './faults.js';
import { data2crmError, readBody, sendJson } from './http-util.js';
import { mask, maskDeep, maskQuery, type LoggedRequest } from './request-log.js';
import { data2crmApiRoutes } from './routes-data2crm-api.js';
import { data2crmAuthRoutes } from './routes-data2crm-auth.js';
import { deviceRoutes } from './device-flow.js';
import { salesforceRoutes } from './routes-salesforce.js';
import { CUSTOM_SCHEME_CALLBACK, HTTPS_CALLBACK } from '../../shared/callback-urls.js';
import { SandboxState, type CallbackPolicy, type ConnectedApp, type SandboxUser } from './state.js';

const ROUTES: Route[] = [...salesforceRoutes, ...deviceRoutes, ...data2crmAuthRoutes, ...data2crmApiRoutes];

export const SAMPLE_USER = { username: 'demo@sandbox.example', password: 'sandbox-password' } as const;
export const SAMPLE_USER_KEY = 'sbx-user-key-4f1c9a7e2d6b4c0e8a13';
export const SAMPLE_CLIENT = { clientId: 'sandbox-connected-app', clientSecret: 'sandbox-client-secret' } as const;
const SAMPLE_USER_ID = '005SBX000000001AAA';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Callback URLs the sample connected app accepts (its "registered" list; default loopback on 1717, the app link and the https one). */
  callbackUrls?: string[];
}

export interface Sandbox {
  /** Base URLs to point the app at. */
  readonly urls: { origin: string; data2crmApi: string; data2crmAuth: string; salesforceLogin: string };
  readonly state: SandboxState;
  readonly control: SandboxControl;
  close(): Promise<void>;
}

export interface SandboxControl {
  setClockOffset(ms: number): void;
  /** The services' clock runs this far ahead (negative: behind) of the app's clock. */
  setServerClockSkew(ms: number): void;
  setSessionLifetime(ms: number): void;
  setRotation(on: boolean): void;
  setAutoApprove(on: boolean): void;
  /** Salesforce's approvals per user per connected app (5); null for no limit (the default here). */
  setApprovalLimit(limit: number | null): void;
  /** Salesforce moves the org to the instance at this origin (null: back to the sandbox's own); see SandboxState.instanceOrigin. */
  moveInstance(origin: string | null): void;
  /** Login hours / IP ranges: every token request answers invalid_grant "ip restricted or invalid login hours" until turned off. */
  setLoginsRefused(on: boolean): void;
  /** The next `count` token answers are 200s without issued_at (the grant, and any rotation, still happens). */
  malformTokenAnswers(count: number): void;
  /** A strict RFC 7009 server: revocations must authenticate the client (Salesforce's own accepts a bare token). */
  setRevokeNeedsClientAuth(on: boolean): void;
  /** The polling interval the device flow names (5 s, as Salesforce; tests shorten it). */
  setDeviceInterval(ms: number): void;
  /** The user's answer to a device code, as the verification page gives it (null: no such code). */
  decideDeviceCode(userCode: string, decision: { approveAs: string } | 'deny'): boolean;
  /** Ends the session of one access token, or of every access token of the sandbox. */
  expireAccessTokens(token?: string): void;
  revokeRefreshToken(token: string): boolean;
  deactivateUser(username: string): void;
  addUser(user: Omit<SandboxUser, 'active'>): void;
  addConnectedApp(app: ConnectedApp): void;
  addCallbackUrl(clientId: string, url: string): void;
  /** `https-or-custom`: act as an External Client App does, refusing every http callback. */
  setCallbackPolicy(policy: CallbackPolicy): void;
  addUserKey(key: string): void;
  /** Break matching requests: `route` is a route name (see requestLog) or '*'. */
  fault(rule: FaultRule): void;
  setLatency(ms: number): void;
  clearFaults(): void;
  /** Every secret value an `echo` fault threw back. */
  echoed(): readonly string[];
  requestLog(): readonly LoggedRequest[];
  clearRequestLog(): void;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = new SandboxState();
  const faults = new FaultPlan();
  const log: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const echoed: string[] = [];
  let origin = '';
  // The control page drives the same controls as tests do (declared below, used per request).
  const routes: Route[] = [...ROUTES, ...controlPageRoutes(() => ({ control, state, origin, sample: { userKey: SAMPLE_USER_KEY, ...SAMPLE_USER, ...SAMPLE_CLIENT, userId: SAMPLE_USER_ID } }))];

  state.users.set(SAMPLE_USER.username, { ...SAMPLE_USER, userId: SAMPLE_USER_ID, orgId: '00DSBX000000001', displayName: 'Demo User', active: true });
  state.apps.set(SAMPLE_CLIENT.clientId, { ...SAMPLE_CLIENT, requireSecret: false, callbackUrls: options.callbackUrls ?? ['http://127.0.0.1:1717/callback', 'http://localhost:1717/callback', CUSTOM_SCHEME_CALLBACK, HTTPS_CALLBACK] });
  state.userKeys.add(SAMPLE_USER_KEY);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const route = routes.find((r) => r.pattern.test(url.pathname) && (Array.isArray(r.method) ? r.method : [r.method]).includes(req.method ?? 'GET'));
    let body = '';
    try {
      body = await readBody(req);
    } catch {
      return data2crmError(res, 413, 'MALFORMED_REQUEST', 'Request body too large.');
    }
    const entry: LoggedRequest = {
      at: state.now(),
      route: route?.name ?? 'unknown',
      method: req.method ?? 'GET',
      path: maskQuery(req.url ?? '/'),
      headers: maskHeaders(pickHeaders(req)),
      body: maskDeep(parseLoggedBody(body, req.headers['content-type'])),
    };
    log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    if (!route) return sendJson(res, 404, { error: 'not_found', message: `No sandbox route for ${req.method} ${url.pathname}` });

    // The control page is how a person clears faults: it never gets one itself.
    const controlled = !route.name.startsWith('sandbox.');
    if (controlled && faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const fault = controlled ? faults.take(route.name) : null;
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'hang') return void hanging.add(res);
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'echo') {
      const values = secretsCarried(req, body);
      echoed.push(...values);
      const encode = (v: string) => (fault.encoding === 'url' ? new URLSearchParams({ v }).toString().slice(2) : fault.encoding === 'base64' ? Buffer.from(v).toString('base64') : v);
      const text = `Rejected: ${values.map(encode).join(' ')}`;
      return sendJson(res, fault.status, { error: 'invalid_request', error_description: text, type: 'about:blank', title: 'Echo', status: fault.status, detail: { code: 'ECHO', message: text } });
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      return void res.end(fault.body ?? JSON.stringify({ type: 'about:blank', title: 'Injected', status: fault.status, detail: { code: 'INJECTED', message: 'Injected fault' } }));
    }
    const ctx: RouteContext = { req, res, url, body, state, origin, log: entry };
    await route.handler(ctx);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'sandbox_bug', message: String(error) });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  origin = `http://${host}:${(server.address() as AddressInfo).port}`;

  const control: SandboxControl = {
    setClockOffset: (ms) => void (state.clockOffsetMs = ms),
    setServerClockSkew: (ms) => void (state.serverClockSkewMs = ms),
    setSessionLifetime: (ms) => void (state.sessionLifetimeMs = ms),
    setRotation: (on) => void (state.rotation = on),
    setAutoApprove: (on) => void (state.autoApprove = on),
    setApprovalLimit: (limit) => void (state.approvalLimit = limit),
    moveInstance: (to) => void (state.instanceOrigin = to === null ? null : new URL(to).origin),
    setLoginsRefused: (on) => void (state.refuseLogins = on),
    malformTokenAnswers: (count) => void (state.malformedTokenAnswers = Math.max(0, Math.floor(count))),
    setRevokeNeedsClientAuth: (on) => void (state.revokeNeedsClientAuth = on),
    setDeviceInterval: (ms) => void (state.devices.intervalMs = ms),
    decideDeviceCode: (userCode, decision) => {
      if (decision === 'deny') return state.devices.decide(userCode, { kind: 'denied' });
      const user = state.users.get(decision.approveAs);
      return user ? state.devices.decide(userCode, { kind: 'approved', userId: user.userId }) : false;
    },
    expireAccessTokens: (token) => {
      for (const [value, record] of state.accessTokens) if (!token || token === value) record.expiresAt = Math.min(record.expiresAt, state.now());
      if (!token) for (const session of state.sessions.values()) session.expiresAt = state.now();
    },
    revokeRefreshToken: (token) => state.revokeRefreshToken(token),
    deactivateUser: (username) => {
      const user = state.users.get(username);
      if (user) user.active = false;
    },
    addUser: (user) => void state.users.set(user.username, { ...user, active: true }),
    addConnectedApp: (app) => void state.apps.set(app.clientId, app),
    addCallbackUrl: (clientId, url) => void state.apps.get(clientId)?.callbackUrls.push(url),
    setCallbackPolicy: (policy) => void (state.callbackPolicy = policy),
    addUserKey: (key) => void state.userKeys.add(key),
    fault: (rule) => faults.add(rule),
    setLatency: (ms) => void (faults.latencyMs = ms),
    clearFaults: () => faults.clear(),
    echoed: () => echoed,
    requestLog: () => log,
    clearRequestLog: () => void log.splice(0),
  };

  return {
    urls: { origin, data2crmApi: `${origin}/v1`, data2crmAuth: origin, salesforceLogin: origin },
    state,
    control,
    close: async () => {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function pickHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['x-api2crm-user-key', 'x-api2crm-application-key', 'authorization', 'content-type']) {
    const value = req.headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k === 'content-type' ? v : mask(v)]));
}

function parseLoggedBody(body: string, contentType: string | undefined): unknown {
  if (!body) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  try {
    return JSON.parse(body);
  } catch {
    return `(${body.length} bytes)`;
  }
}

/** The secret values a request carries: key and bearer headers, and secret-named body fields. */
function secretsCarried(req: IncomingMessage, body: string): string[] {
  const values: string[] = [];
  const userKey = req.headers['x-api2crm-user-key'];
  if (typeof userKey === 'string') values.push(userKey);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) values.push(bearer);
  const secretName = /token|secret|code|verifier|password/i;
  let fields: Array<[string, unknown]> = [];
  try {
    fields = Object.entries(JSON.parse(body) as Record<string, unknown>);
  } catch {
    fields = [...new URLSearchParams(body).entries()];
  }
  const walk = (name: string, value: unknown): void => {
    if (typeof value === 'string' && secretName.test(name) && value) values.push(value);
    else if (Array.isArray(value)) value.forEach((item) => walk(name, item));
    // Data2CRM's credential list: {name: 'access_token', value: '…'}.
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(k === 'value' && 'name' in value ? String(value.name) : k, v);
  };
  for (const [name, value] of fields) walk(name, value);
  return values;
}
