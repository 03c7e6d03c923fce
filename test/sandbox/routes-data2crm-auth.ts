/**
 * Data2CRM's OAuth helper for oAuth-internal: a sign-in page that sends the browser back to
 * `redirect` with instance_url, access_token and refresh_token in the URL hash.
 */
import type { Route, RouteContext } from './context.js';
import { parseForm, redirect, sendHtml } from './http-util.js';
import { errorPage, signInPage } from './pages.js';
import { DATA2CRM_INTERNAL_CLIENT } from './state.js';

const PATH = '/authorization/oauth/Salesforce/authorize';

function withHash(target: string, values: Record<string, string>): string {
  return `${target}#${new URLSearchParams(values).toString()}`;
}

function grant(ctx: RouteContext, target: string, userId: string, headers: Record<string, string> = {}) {
  const issued = ctx.state.issueTokens(userId, DATA2CRM_INTERNAL_CLIENT, true);
  redirect(ctx.res, withHash(target, { instance_url: ctx.state.instanceFor(ctx.origin), access_token: issued.accessToken, refresh_token: issued.refreshToken! }), headers);
}

function authorize(ctx: RouteContext): void {
  const params = ctx.req.method === 'POST' ? parseForm(ctx.body) : Object.fromEntries(ctx.url.searchParams);
  const target = params['redirect'] ?? '';
  let parsed: URL | null = null;
  try {
    parsed = new URL(target);
  } catch {
    parsed = null;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.hash) return sendHtml(ctx.res, 400, errorPage('The redirect parameter must be an http(s) URL without a fragment.'));

  if (ctx.req.method === 'GET') {
    const sessionUser = ctx.state.sessionUser(ctx.req.headers.cookie);
    if (sessionUser && ctx.state.autoApprove) return grant(ctx, target, sessionUser.userId);
    return sendHtml(ctx.res, 200, signInPage({ title: 'Connect Salesforce to Data2CRM (sandbox)', action: PATH, hidden: { redirect: target }, appName: 'Data2CRM.API' }));
  }
  if (params['decision'] === 'deny') return redirect(ctx.res, withHash(target, { error: 'access_denied', error_description: 'end-user denied authorization' }));
  const user = ctx.state.users.get(params['username'] ?? '');
  if (!user || user.password !== params['password'] || !user.active) {
    return sendHtml(ctx.res, 200, signInPage({ title: 'Connect Salesforce to Data2CRM (sandbox)', action: PATH, hidden: { redirect: target }, appName: 'Data2CRM.API', error: 'Please check your username and password.' }));
  }
  const sid = ctx.state.startSession(user.userId);
  grant(ctx, target, user.userId, { 'set-cookie': `sbx_sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
}

export const data2crmAuthRoutes: Route[] = [{ name: 'd2c.authorize', method: ['GET', 'POST'], pattern: /^\/authorization\/oauth\/Salesforce\/authorize$/, handler: authorize }];
