/** Data2CRM.API /v1: applications and one CRM call, with the documented error bodies. */
import type { Route, RouteContext } from './context.js';
import { data2crmError, sendJson } from './http-util.js';
import { DATA2CRM_INTERNAL_CLIENT, randomToken, type Application, type SandboxState } from './state.js';

const TYPES = ['Salesforce', 'SalesforceSandbox'];
const AUTHORIZATIONS = ['oAuth-internal', 'oAuth-external-refresh'];
const REQUIRED: Record<string, string[]> = {
  'oAuth-internal': ['instance_url', 'access_token', 'refresh_token'],
  'oAuth-external-refresh': ['instance_url', 'access_token'],
};

function userKey(ctx: RouteContext): string | null {
  const key = ctx.req.headers['x-api2crm-user-key'];
  return typeof key === 'string' && ctx.state.userKeys.has(key) ? key : null;
}

function appKeyFrom(ctx: RouteContext): string {
  return decodeURIComponent(/^\/v1\/application\/([^/]+)$/.exec(ctx.url.pathname)?.[1] ?? '');
}

function findApp(ctx: RouteContext, owner: string, key: string): Application | null {
  const app = ctx.state.applications.get(key);
  return app && app.userKey === owner ? app : null;
}

/** The application's credentials name the org's current instance (after a move, the old one fails). */
const onCurrentInstance = (state: SandboxState, origin: string, instanceUrl: string | undefined) => instanceUrl?.replace(/\/$/, '') === state.instanceFor(origin);

/**
 * Whether the application's Salesforce credentials work now. For oAuth-internal the service
 * refreshes on its side with the stored refresh token, as the real one does.
 */
function ensureAuthorized(state: SandboxState, origin: string, app: Application): boolean {
  if (!onCurrentInstance(state, origin, app.credentials['instance_url'])) return false;
  if (state.liveAccessToken(app.credentials['access_token'])) return true;
  if (app.authorization !== 'oAuth-internal') return false;
  const refresh = state.liveRefreshToken(app.credentials['refresh_token']);
  if (!refresh) return false;
  const issued = state.issueTokens(refresh.userId, DATA2CRM_INTERNAL_CLIENT, true, app.credentials['refresh_token']);
  app.credentials['access_token'] = issued.accessToken;
  return true;
}

type Body = { type: Application['type']; authorization: Application['authorization']; description: string; credentials: Record<string, string> };

/** Parses and checks a create/update body; on failure it has already answered. */
function parseApplicationBody(ctx: RouteContext): Body | null {
  let raw: unknown;
  try {
    raw = JSON.parse(ctx.body);
  } catch {
    data2crmError(ctx.res, 400, 'MALFORMED_REQUEST', 'The request body is not valid JSON.');
    return null;
  }
  const body = raw as Record<string, unknown>;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    data2crmError(ctx.res, 400, 'MALFORMED_REQUEST', 'The request body must be a JSON object.');
    return null;
  }
  if (!TYPES.includes(body['type'] as string)) {
    data2crmError(ctx.res, 400, 'NOT_VALID', `type: must be one of ${TYPES.join(', ')}.`);
    return null;
  }
  if (!AUTHORIZATIONS.includes(body['authorization'] as string)) {
    data2crmError(ctx.res, 400, 'NOT_VALID', `authorization: must be one of ${AUTHORIZATIONS.join(', ')}.`);
    return null;
  }
  const list = body['credential'];
  const credentials: Record<string, string> = {};
  if (!Array.isArray(list) || list.some((c) => !c || typeof c.name !== 'string' || typeof c.value !== 'string')) {
    data2crmError(ctx.res, 400, 'NOT_VALID', 'credential: must be a list of {name, value} strings.');
    return null;
  }
  for (const c of list as Array<{ name: string; value: string }>) {
    if (c.name in credentials) {
      data2crmError(ctx.res, 422, 'NOT_VALID', `credential: ${c.name} given twice.`);
      return null;
    }
    credentials[c.name] = c.value;
  }
  const required = REQUIRED[body['authorization'] as string]!;
  const names = Object.keys(credentials).sort();
  if (names.join() !== [...required].sort().join()) {
    data2crmError(ctx.res, 422, 'NOT_VALID', `credential: ${body['authorization']} takes exactly ${required.join(', ')}.`);
    return null;
  }
  const description = typeof body['description'] === 'string' ? body['description'] : '';
  return { type: body['type'] as Body['type'], authorization: body['authorization'] as Body['authorization'], description, credentials };
}

/** The CRM credentials must work when they are given (create and update). */
function credentialsAccepted(ctx: RouteContext, body: Body): boolean {
  if (!onCurrentInstance(ctx.state, ctx.origin, body.credentials['instance_url'])) return false;
  // Internal: Data2CRM can refresh by itself, so a live refresh token is enough.
  if (body.authorization === 'oAuth-internal') return ctx.state.liveRefreshToken(body.credentials['refresh_token']) !== null;
  return ctx.state.liveAccessToken(body.credentials['access_token']) !== null;
}

function applicationObject(ctx: RouteContext, app: Application) {
  const authorized = ensureAuthorized(ctx.state, ctx.origin, app);
  const access = ctx.state.accessTokens.get(app.credentials['access_token'] ?? '');
  const user = access ? ctx.state.userById(access.userId) : undefined;
  return {
    key: app.key,
    type: app.type,
    authorization: app.authorization,
    description: app.description,
    url: app.credentials['instance_url'],
    plan: 'sandbox',
    is_authorized: authorized,
    company: { id: user?.orgId ?? null },
    me: user && authorized ? { id: user.userId, name: user.displayName, email: user.username } : null,
    requests_limit: { is_exceeded: false, retry_after: null, type: [] },
  };
}

function listItem(app: Application) {
  return { key: app.key, type: app.type, authorization: app.authorization, description: app.description, url: app.credentials['instance_url'], company: { id: null } };
}

function withUser(handler: (ctx: RouteContext, owner: string) => void) {
  return (ctx: RouteContext) => {
    const owner = userKey(ctx);
    if (!owner) return data2crmError(ctx.res, 401, 'SERVICE_UNAUTHORIZED', 'The user key is missing or not valid.');
    handler(ctx, owner);
  };
}

const create = withUser((ctx, owner) => {
  const body = parseApplicationBody(ctx);
  if (!body) return;
  if (!credentialsAccepted(ctx, body)) return data2crmError(ctx.res, 401, 'UNAUTHORIZED', 'The CRM rejected the given credentials.');
  const key = `app_${randomToken(12)}`;
  ctx.state.applications.set(key, { key, userKey: owner, ...body, createdAt: ctx.state.now() });
  sendJson(ctx.res, 201, { key });
});

const read = withUser((ctx, owner) => {
  const app = findApp(ctx, owner, appKeyFrom(ctx));
  if (!app) return data2crmError(ctx.res, 404, 'ENTITY_NOT_FOUND', 'Application not found.');
  sendJson(ctx.res, 200, applicationObject(ctx, app));
});

const list = withUser((ctx, owner) => {
  const page = Math.max(1, Number(ctx.url.searchParams.get('page') ?? 1) || 1);
  const size = Math.min(250, Math.max(1, Number(ctx.url.searchParams.get('page_size') ?? 25) || 25));
  const mine = [...ctx.state.applications.values()].filter((a) => a.userKey === owner);
  sendJson(ctx.res, 200, mine.slice((page - 1) * size, page * size).map(listItem));
});

const count = withUser((ctx, owner) => {
  sendJson(ctx.res, 200, { total: [...ctx.state.applications.values()].filter((a) => a.userKey === owner).length });
});

const update = withUser((ctx, owner) => {
  const app = findApp(ctx, owner, appKeyFrom(ctx));
  if (!app) return data2crmError(ctx.res, 404, 'ENTITY_NOT_FOUND', 'Application not found.');
  const body = parseApplicationBody(ctx);
  if (!body) return;
  if (!credentialsAccepted(ctx, body)) return data2crmError(ctx.res, 401, 'UNAUTHORIZED', 'The CRM rejected the given credentials.');
  Object.assign(app, body);
  sendJson(ctx.res, 200, { key: app.key });
});

const remove = withUser((ctx, owner) => {
  const key = appKeyFrom(ctx);
  if (!findApp(ctx, owner, key)) return data2crmError(ctx.res, 404, 'ENTITY_NOT_FOUND', 'Application not found.');
  ctx.state.applications.delete(key);
  ctx.res.writeHead(204).end();
});

/** A cheap CRM call: it reaches Salesforce with the application's stored credentials. */
const userCount = withUser((ctx, owner) => {
  const header = ctx.req.headers['x-api2crm-application-key'];
  const app = typeof header === 'string' ? findApp(ctx, owner, header) : null;
  if (!app) return data2crmError(ctx.res, 404, 'ENTITY_NOT_FOUND', 'Application not found.');
  if (!ensureAuthorized(ctx.state, ctx.origin, app)) return data2crmError(ctx.res, 401, 'UNAUTHORIZED', 'The CRM credentials became irrelevant; update the application.');
  sendJson(ctx.res, 200, { total: ctx.state.users.size });
});

export const data2crmApiRoutes: Route[] = [
  { name: 'd2c.application.count', method: 'GET', pattern: /^\/v1\/application\/count$/, handler: count },
  { name: 'd2c.application.list', method: 'GET', pattern: /^\/v1\/application(?:\/list)?$/, handler: list },
  { name: 'd2c.application.create', method: 'POST', pattern: /^\/v1\/application$/, handler: create },
  { name: 'd2c.application.get', method: 'GET', pattern: /^\/v1\/application\/[^/]+$/, handler: read },
  { name: 'd2c.application.update', method: 'PUT', pattern: /^\/v1\/application\/[^/]+$/, handler: update },
  { name: 'd2c.application.delete', method: 'DELETE', pattern: /^\/v1\/application\/[^/]+$/, handler: remove },
  { name: 'd2c.crm.user-count', method: 'GET', pattern: /^\/v1\/user\/count$/, handler: userCount },
];
