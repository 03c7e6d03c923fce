/**
 * The control page `npm run sandbox` serves at its address: a person (or a UI test in Chromium)
 * drives the sandbox's controls by hand and reads, for each, what the app should do next. Plain
 * HTML forms; each POST runs one control and redirects back (303) with a fixed message id, so
 * no input is ever reflected into the page.
 */
import type { Route, RouteContext } from './context.js';
import { escapeHtml, parseForm, sendHtml } from './http-util.js';
import type { SandboxControl } from './server.js';
import type { SandboxState } from './state.js';
import { CUSTOM_SCHEME_CALLBACK, HTTPS_CALLBACK } from '../../shared/callback-urls.js';

interface ControlSandbox {
  readonly control: SandboxControl;
  readonly state: SandboxState;
  /** The sandbox's own origin (where it listens). */
  readonly origin: string;
  readonly sample: { userKey: string; username: string; password: string; clientId: string; clientSecret: string; userId: string };
}

/** Routes a fault can target, as people name them. */
const FAULT_TARGETS: Record<string, string> = {
  'sf.token': 'Salesforce token endpoint (refresh)',
  'd2c.application.get': 'Data2CRM: read application (health check)',
  'd2c.application.update': 'Data2CRM: update application (push)',
  'd2c.crm.user-count': 'Data2CRM: CRM call (health check)',
  '*': 'every request',
};

/** What each control did, and what the app should do next: the sentence the page shows. */
const DONE: Record<string, string> = {
  expire:
    'Every access token and sign-in session has ended. At its next check (or Refresh now) the app should stay healthy: Data2CRM refreshes sign-in connections itself, and own-connected-app connections get a 401, refresh with their refresh token and push the new access token. Pasted-token connections cannot renew themselves: they should show "Needs you" and ask for new tokens.',
  revoke:
    'Every refresh token is revoked and every sign-in session has ended. At its next check (or Refresh now) each connection should show "Needs you", with exactly one notification for all of them (those found later, within the check interval, join it); Re-authorize (sign in again) should bring it back to healthy.',
  'rotation-on': 'Refresh-token rotation is on: each refresh returns a new refresh token and kills the old one. The app should store the new one before anything else and stay healthy across refreshes.',
  'rotation-off': 'Refresh-token rotation is off: refresh tokens stay valid across refreshes.',
  lifetime:
    'New access tokens now live for the session lifetime set here. The app should refresh own-connected-app connections before that (match Settings → Refresh → session lifetime) or, at the latest, at the first 401, and never call a dead token healthy.',
  clock:
    'The sandbox clock is now shifted by the minutes set here. Tokens look that much older or younger to it; the app should still refresh in time (at the latest on the first 401) and never call a dead token healthy.',
  fault:
    'The next requests to the chosen target answer with the chosen status and Retry-After. The app should show "retrying…", wait at least the Retry-After before trying again, and return to healthy by itself once the faults are used up; it tells you only after repeated failures.',
  'clear-faults': 'Faults cleared: every request answers normally again. Retrying connections should become healthy at their next try.',
  'delete-application':
    'The application is deleted in Data2CRM. At its next check (or Refresh now) the connection should show "deleted in Data2CRM" and offer Register again, which creates a new application with the same tokens.',
  'reject-key':
    'Data2CRM now answers 401 SERVICE_UNAUTHORIZED for the user key. The app should stop refreshing (Salesforce tokens are not the problem) and ask you for a new user key under Account; "Accept the user key again" here undoes it.',
  'accept-key': 'The user key is accepted again. Refresh now on any connection (or Test key, or the app’s own half-hourly try of the key) should clear “user key rejected” everywhere and resume automatic refresh.',
  'device-approved':
    'The device code is approved as the sample user. The keeper polling for it (`keeper connect --device`) should get tokens at its next poll, register the connection and show it healthy.',
  'device-denied': 'The device code is denied. The keeper polling for it should stop and say the sign-in was denied; nothing is stored.',
  'device-unknown': 'That device code is not pending any more (used, expired or decided). Start `keeper connect --device` again for a new one.',
  'move-instance':
    'Salesforce moved the org: token answers now name the other loopback address of this sandbox (127.0.0.1 and localhost swap) as its instance, and Data2CRM calls through the old one fail. At its next refresh (or Refresh now on an own-connected-app connection) the app should adopt the new instance (“Use this sandbox” trusts both names at this port), push it to Data2CRM, show it on the connection and say “Salesforce moved this org to …” under Activity. Sign-in connections follow when Data2CRM next needs a sign-in.',
  'move-back': 'The org is back on the sandbox’s own address. The app adopts it at the next refresh, the same way.',
  'refuse-logins':
    'Salesforce now refuses every token request with “ip restricted or invalid login hours” (the org’s login hours or IP ranges). Own-connected-app connections should show “Salesforce refuses for now” with one notification saying what Salesforce said, retry slowly, and recover by themselves once logins are allowed again.',
  'allow-logins': 'Logins are allowed again. Connections refused for now should become healthy at their next try, without you.',
  malformed:
    'The next token answers are 200s without issued_at, though Salesforce did grant them (with rotation on, the new refresh token has already replaced the old one). The app should keep the new refresh token anyway, show a problem, retry, and be healthy at the next try, never "Needs you".',
  'strict-revoke-on': 'Revocation now needs client authentication, as a standard OAuth server (RFC 7009) does. Disconnecting an own-connected-app connection should still revoke its sign-in (the app authenticates with the consumer key and secret); if a revocation fails, the app says so and never claims it succeeded.',
  'strict-revoke-off': 'Revocation accepts a bare token again, as Salesforce does.',
  tokens: 'Fresh tokens for the sample user are shown below, with the consumer key of the app that issued them. Paste them under Connect Salesforce org… → Paste tokens; with the consumer key the app renews them itself, without it they last until the access token expires.',
  'eca-callbacks':
    'Salesforce now takes only https and app-link callbacks, as an External Client App does. An own-app sign-in on the loopback callback should fail at once, said under "Callback URL your app lists"; choosing "App link" or "https, caught by the sign-in window" should connect.',
  'any-callbacks': 'Salesforce takes loopback http callbacks again, as a Connected App does.',
  invalid: 'That control needs a valid number; nothing changed.',
};

/** The same loopback listener under its other name: where a staged instance move goes (and the app trusts both). */
export function twinOrigin(origin: string): string {
  const url = new URL(origin);
  url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return url.origin;
}

const minutes = (value: string | undefined): number | null => {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(n) ? n : null;
};

/** Runs one control; returns the message id to show (and, for tokens, the tokens to show). */
function run(sandbox: ControlSandbox, form: Record<string, string>): { done: string; tokens?: { accessToken: string; refreshToken: string } } {
  const { control, state } = sandbox;
  switch (form['action']) {
    case 'expire':
      control.expireAccessTokens();
      return { done: 'expire' };
    case 'revoke':
      for (const token of state.refreshTokens.keys()) control.revokeRefreshToken(token);
      for (const session of state.sessions.values()) session.expiresAt = state.now();
      return { done: 'revoke' };
    case 'eca-callbacks':
    case 'any-callbacks':
      control.setCallbackPolicy(form['action'] === 'eca-callbacks' ? 'https-or-custom' : 'any');
      return { done: form['action'] };
    case 'rotation-on':
    case 'rotation-off':
      control.setRotation(form['action'] === 'rotation-on');
      return { done: form['action'] };
    case 'lifetime': {
      const value = minutes(form['minutes']);
      if (value === null || value < 1) return { done: 'invalid' };
      control.setSessionLifetime(value * 60_000);
      return { done: 'lifetime' };
    }
    case 'clock': {
      const value = minutes(form['minutes']);
      if (value === null) return { done: 'invalid' };
      control.setClockOffset(value * 60_000);
      return { done: 'clock' };
    }
    case 'fault': {
      const status = form['status'] === '429' ? 429 : 503;
      const retryAfter = minutes(form['retryAfter']);
      const count = minutes(form['count']);
      const route = form['route'] ?? '';
      if (retryAfter === null || retryAfter < 0 || count === null || count < 1 || !(route in FAULT_TARGETS)) return { done: 'invalid' };
      control.fault({ route, fault: { kind: 'status', status, retryAfter: String(Math.round(retryAfter)) }, remaining: Math.round(count) });
      return { done: 'fault' };
    }
    case 'clear-faults':
      control.clearFaults();
      return { done: 'clear-faults' };
    case 'delete-application':
      state.applications.delete(form['key'] ?? '');
      return { done: 'delete-application' };
    case 'reject-key':
      state.userKeys.delete(sandbox.sample.userKey);
      return { done: 'reject-key' };
    case 'accept-key':
      control.addUserKey(sandbox.sample.userKey);
      return { done: 'accept-key' };
    case 'move-instance':
      control.moveInstance(state.instanceOrigin === null ? twinOrigin(sandbox.origin) : null);
      return { done: state.instanceOrigin === null ? 'move-back' : 'move-instance' };
    case 'refuse-logins':
    case 'allow-logins':
      control.setLoginsRefused(form['action'] === 'refuse-logins');
      return { done: form['action'] };
    case 'malformed': {
      const count = minutes(form['count']);
      if (count === null || count < 1 || count > 100) return { done: 'invalid' };
      control.malformTokenAnswers(count);
      return { done: 'malformed' };
    }
    case 'strict-revoke-on':
    case 'strict-revoke-off':
      control.setRevokeNeedsClientAuth(form['action'] === 'strict-revoke-on');
      return { done: form['action'] };
    case 'device-approve':
    case 'device-deny': {
      const decided = control.decideDeviceCode(form['userCode'] ?? '', form['action'] === 'device-deny' ? 'deny' : { approveAs: sandbox.sample.username });
      return { done: decided ? (form['action'] === 'device-deny' ? 'device-denied' : 'device-approved') : 'device-unknown' };
    }
    case 'tokens': {
      const issued = state.issueTokens(sandbox.sample.userId, sandbox.sample.clientId, true);
      return { done: 'tokens', tokens: { accessToken: issued.accessToken, refreshToken: issued.refreshToken! } };
    }
    default:
      return { done: 'invalid' };
  }
}

const button = (action: string, label: string, extra = '') => `<form method="post" action="/sandbox/control">${extra}<input type="hidden" name="action" value="${action}"><button type="submit">${escapeHtml(label)}</button></form>`;

function page(ctx: RouteContext, sandbox: ControlSandbox, done: string | null, tokens?: { accessToken: string; refreshToken: string }): string {
  const { state } = ctx;
  const origin = ctx.origin;
  const message = done && DONE[done] ? `<p role="status" class="done">${escapeHtml(DONE[done])}</p>` : '';
  const applications = [...state.applications.values()]
    .map((a) => `<li>${escapeHtml(a.description || '(no description)')} · ${escapeHtml(a.authorization)} · key …${escapeHtml(a.key.slice(-4))} ${button('delete-application', `Delete application ${a.description || a.key.slice(-4)}`, `<input type="hidden" name="key" value="${escapeHtml(a.key)}">`)}</li>`)
    .join('');
  const targets = Object.entries(FAULT_TARGETS)
    .map(([route, label]) => `<option value="${escapeHtml(route)}">${escapeHtml(label)}</option>`)
    .join('');
  const pasted = tokens
    ? `<dl class="tokens"><dt>Instance URL</dt><dd><code data-testid="paste-instance-url">${escapeHtml(origin)}</code></dd><dt>Access token</dt><dd><code data-testid="paste-access-token">${escapeHtml(tokens.accessToken)}</code></dd><dt>Refresh token</dt><dd><code data-testid="paste-refresh-token">${escapeHtml(tokens.refreshToken)}</code></dd><dt>Consumer key of the app that issued them</dt><dd><code data-testid="paste-consumer-key">${escapeHtml(sandbox.sample.clientId)}</code></dd></dl>`
    : '';
  const { sample } = sandbox;
  const codeField = (userCode: string) => `<input type="hidden" name="userCode" value="${escapeHtml(userCode)}">`;
  const devices = state.devices
    .pending()
    .map((d) => `<li><code>${escapeHtml(d.userCode)}</code> · ${escapeHtml(d.clientId)} ${button('device-approve', `Approve ${d.userCode} as ${sample.username}`, codeField(d.userCode))} ${button('device-deny', `Deny ${d.userCode}`, codeField(d.userCode))}</li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox controls</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.4}section{border:1px solid #ccc;border-radius:8px;padding:.6rem 1rem;margin:1rem 0}form{display:inline-block;margin:.2rem .4rem .2rem 0}.done{background:#eef7ee;border:1px solid #7a7;padding:.6rem;border-radius:6px}code{word-break:break-all}small{color:#555}</style></head>
<body><main><h1>Sandbox controls</h1>
${message}${pasted}
<section aria-labelledby="h-use"><h2 id="h-use">Point the app here</h2>
<p>In Data2CRM Tray: Settings → Account → "New user key": <code>${escapeHtml(sample.userKey)}</code>, "Save key". Then "Advanced: service addresses" → "Sandbox address": <code>${escapeHtml(origin)}</code>, "Use this sandbox".</p>
<p>Sample Salesforce user <code>${escapeHtml(sample.username)}</code> / <code>${escapeHtml(sample.password)}</code>. Own connected app: "My Domain host" <code>${escapeHtml(origin)}</code>, "Consumer key (client id)" <code>${escapeHtml(sample.clientId)}</code>, "Consumer secret (optional)" <code>${escapeHtml(sample.clientSecret)}</code>, callback port 1717.</p>
${button('tokens', 'Issue tokens to paste')}</section>
<section aria-labelledby="h-device"><h2 id="h-device">Device sign-in</h2>
<p>Codes a keeper is waiting for (<code>keeper connect --device</code>; people enter them at <a href="/setup/connect">${escapeHtml(origin)}/setup/connect</a>):</p><ul>${devices || '<li>none waiting</li>'}</ul></section>
<section aria-labelledby="h-callbacks"><h2 id="h-callbacks">Callbacks</h2>
<p>The sample app lists <code>http://127.0.0.1:1717/callback</code>, <code>${escapeHtml(CUSTOM_SCHEME_CALLBACK)}</code> and <code>${escapeHtml(HTTPS_CALLBACK)}</code>. ${state.callbackPolicy === 'https-or-custom' ? 'Salesforce takes only https and app-link callbacks (an External Client App).' : 'Salesforce takes every listed callback (a Connected App).'}</p>
${state.callbackPolicy === 'https-or-custom' ? button('any-callbacks', 'Accept loopback callbacks again') : button('eca-callbacks', 'Accept only https and app-link callbacks')}</section>
<section aria-labelledby="h-tokens"><h2 id="h-tokens">Tokens and sessions</h2>
${button('expire', 'Expire all access tokens')} ${button('revoke', 'Revoke all refresh tokens')}
${button(state.rotation ? 'rotation-off' : 'rotation-on', state.rotation ? 'Turn rotation off' : 'Turn rotation on')}
<p><small>Rotation is ${state.rotation ? 'on' : 'off'}; session lifetime ${Math.round(state.sessionLifetimeMs / 60_000)} min; clock shift ${Math.round(state.clockOffsetMs / 60_000)} min.</small></p>
<form method="post" action="/sandbox/control"><input type="hidden" name="action" value="lifetime"><label>Session lifetime (minutes) <input name="minutes" type="number" min="1" value="${Math.round(state.sessionLifetimeMs / 60_000)}"></label> <button type="submit">Set session lifetime</button></form>
<form method="post" action="/sandbox/control"><input type="hidden" name="action" value="clock"><label>Clock shift (minutes, may be negative) <input name="minutes" type="number" value="${Math.round(state.clockOffsetMs / 60_000)}"></label> <button type="submit">Shift the clock</button></form></section>
<section aria-labelledby="h-faults"><h2 id="h-faults">Faults</h2>
<form method="post" action="/sandbox/control"><input type="hidden" name="action" value="fault">
<label>Target <select name="route">${targets}</select></label>
<label>Status <select name="status"><option value="503">503 Service Unavailable</option><option value="429">429 Too Many Requests</option></select></label>
<label>Retry-After (seconds) <input name="retryAfter" type="number" min="0" value="30"></label>
<label>How many requests <input name="count" type="number" min="1" value="3"></label>
<button type="submit">Inject fault</button></form> ${button('clear-faults', 'Clear faults')}</section>
<section aria-labelledby="h-d2c"><h2 id="h-d2c">Data2CRM</h2>
<p>Applications:</p><ul>${applications || '<li>none yet</li>'}</ul>
${state.userKeys.has(sample.userKey) ? button('reject-key', 'Reject the user key') : button('accept-key', 'Accept the user key again')}</section>
<section aria-labelledby="h-org"><h2 id="h-org">The org and its policies</h2>
<p><small>Instance: <code>${escapeHtml(state.instanceFor(origin))}</code>; logins ${state.refuseLogins ? 'refused for now' : 'allowed'}; ${state.malformedTokenAnswers} malformed token answer(s) to come; revocation ${state.revokeNeedsClientAuth ? 'needs client authentication' : 'accepts a bare token'}.</small></p>
${button('move-instance', state.instanceOrigin === null ? 'Move the org to another instance' : 'Move the org back')}
${button(state.refuseLogins ? 'allow-logins' : 'refuse-logins', state.refuseLogins ? 'Allow logins again' : 'Refuse logins for now (login hours)')}
<form method="post" action="/sandbox/control"><input type="hidden" name="action" value="malformed"><label>Malformed 200 token answers (how many) <input name="count" type="number" min="1" max="100" value="1"></label> <button type="submit">Send malformed token answers</button></form>
${button(state.revokeNeedsClientAuth ? 'strict-revoke-off' : 'strict-revoke-on', state.revokeNeedsClientAuth ? 'Accept bare revocations (as Salesforce)' : 'Require client authentication to revoke (RFC 7009)')}</section>
</main></body></html>`;
}

export function controlPageRoutes(sandbox: () => ControlSandbox): Route[] {
  // The last issued paste tokens, shown once on the page after "Issue tokens to paste".
  let lastTokens: { accessToken: string; refreshToken: string } | undefined;
  return [
    {
      name: 'sandbox.control-page',
      method: 'GET',
      pattern: /^\/$/,
      handler: (ctx) => {
        const done = ctx.url.searchParams.get('done');
        const tokens = done === 'tokens' ? lastTokens : undefined;
        lastTokens = undefined;
        sendHtml(ctx.res, 200, page(ctx, sandbox(), done, tokens));
      },
    },
    {
      name: 'sandbox.control',
      method: 'POST',
      pattern: /^\/sandbox\/control$/,
      handler: (ctx) => {
        const outcome = run(sandbox(), parseForm(ctx.body));
        if (outcome.tokens) lastTokens = outcome.tokens;
        ctx.res.writeHead(303, { location: `/?done=${encodeURIComponent(outcome.done)}`, 'cache-control': 'no-store' });
        ctx.res.end();
      },
    },
  ];
}
