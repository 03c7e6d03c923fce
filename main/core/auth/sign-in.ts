/**
 * Runs one sign-in: a loopback listener for the redirect, the sign-in page in the AuthBrowser,
 * then whichever comes first of a genuine redirect (seen by the browser or by the listener), the
 * window closing, the timeout, or cancellation. Forged redirects are ignored (createRedirectGate);
 * the listener lives only while the sign-in is pending.
 */
import { assertNever } from '../assert-never.js';
import { data2crmAuthorizeUrl } from '../data2crm/auth-url.js';
import type { ApiFailure } from '../http/api-failure.js';
import type { AuthBrowser, Clock, LoadedPage, RedirectJudge, RedirectListener } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import { rememberSecret } from '../secret-redactor.js';
import type { SalesforceOAuthClient } from '../salesforce/oauth-client.js';
import { randomUrlSafe } from '../salesforce/pkce.js';
import type { TokenSet } from '../salesforce/types.js';
import { providerErrorPage } from './provider-error-page.js';
import { parseAuthRedirect, type ParsedRedirect } from './redirect.js';

export type SignInFailure =
  | { kind: 'cancelled'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'denied'; message: string }
  | { kind: 'rejected'; message: string; field?: string }
  | { kind: 'listener-failed'; message: string }
  | { kind: 'exchange-failed'; message: string; api: ApiFailure };

export interface SignInDeps {
  readonly listener: RedirectListener;
  readonly browser: AuthBrowser;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly extraInstanceHosts: readonly string[];
}

export interface SignInOptions {
  readonly sessionId?: string;
  readonly silent?: boolean;
  readonly signal?: AbortSignal;
}

export interface InternalTokens {
  readonly instanceUrl: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Same scheme, host, port and path as our redirect URI: the browser adapters capture these. */
export function isRedirectTo(url: string, redirectUri: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(redirectUri);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/**
 * The one place that decides whether a redirect ends the sign-in. Only a redirect carrying the
 * pending sign-in's state (unguessable, so it came from the provider) ends it, with its tokens or
 * its error; one for another address or without the right state is ignored, so a page elsewhere
 * on the machine cannot end or poison a pending sign-in.
 */
export function createRedirectGate() {
  let parse: ((url: string) => ParsedRedirect) | null = null;
  let settle: (parsed: ParsedRedirect) => void = () => undefined;
  const ended = new Promise<ParsedRedirect>((resolve) => {
    settle = resolve;
  });
  const judge: RedirectJudge = (url) => {
    const parsed = parse?.(url);
    if (!parsed || (!parsed.ok && (parsed.error === 'mismatch' || parsed.error === 'state'))) return 'ignored';
    if (parsed.ok) (parsed.flow === 'external' ? [parsed.code] : [parsed.accessToken, parsed.refreshToken]).forEach(rememberSecret);
    settle(parsed);
    return 'accepted';
  };
  return {
    judge,
    ended,
    /** Set once the listener knows its redirect URI; until then every request is ignored. */
    expect(parser: (url: string) => ParsedRedirect): void {
      parse = parser;
    },
  };
}

type RedirectGate = ReturnType<typeof createRedirectGate>;

async function awaitRedirect(deps: SignInDeps, url: string, redirectUri: string, gate: RedirectGate, options: SignInOptions): Promise<Result<ParsedRedirect & { ok: true }, SignInFailure>> {
  const isRedirect = (u: string) => isRedirectTo(u, redirectUri) && gate.judge(u) === 'accepted';
  let showErrorPage: (failure: { message: string; field?: string }) => void = () => undefined;
  const errorPage = new Promise<{ message: string; field?: string }>((resolve) => {
    showErrorPage = resolve;
  });
  // Salesforce's error page (a wrong consumer key) never redirects: seen here, it ends the wait at once.
  const onPage = (page: LoadedPage) => {
    const problem = providerErrorPage(page, url, redirectUri);
    if (problem) showErrorPage(problem);
  };
  const session = deps.browser.open(url, { isRedirect, onPage, ...(options.sessionId ? { sessionId: options.sessionId } : {}), ...(options.silent ? { silent: true } : {}) });
  let timer: { cancel(): void } | undefined;
  let onAbort: (() => void) | undefined;
  type Ending = { kind: 'redirect'; parsed: ParsedRedirect } | { kind: 'closed' } | { kind: 'timeout' } | { kind: 'cancelled' } | { kind: 'error-page'; message: string; field?: string };
  const endings: Array<Promise<Ending>> = [
    errorPage.then((problem): Ending => ({ kind: 'error-page', ...problem })),
    gate.ended.then((parsed): Ending => ({ kind: 'redirect', parsed })),
    session.outcome.then((o): Ending | Promise<never> => {
      if (o.kind === 'closed') return { kind: 'closed' };
      // A redirect the browser reports goes through the same gate: a genuine one ends the wait
      // through gate.ended, a forged one changes nothing.
      gate.judge(o.url);
      return new Promise<never>(() => undefined);
    }),
    new Promise<Ending>((resolve) => {
      timer = deps.clock.setTimer(deps.timeoutMs, () => resolve({ kind: 'timeout' }));
    }),
  ];
  if (options.signal) {
    const signal = options.signal;
    endings.push(
      new Promise<Ending>((resolve) => {
        onAbort = () => resolve({ kind: 'cancelled' });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    );
  }
  try {
    const ending = await Promise.race(endings);
    switch (ending.kind) {
      case 'closed':
        return err({ kind: 'cancelled', message: 'The sign-in window was closed before the sign-in finished. Nothing was stored.' });
      case 'cancelled':
        return err({ kind: 'cancelled', message: 'The sign-in was cancelled. Nothing was stored.' });
      case 'timeout':
        return err({ kind: 'timeout', message: `The sign-in did not finish within ${Math.round(deps.timeoutMs / 60_000) || 1} min. Nothing was stored.` });
      case 'error-page':
        return err({ kind: 'rejected', message: ending.message, ...(ending.field ? { field: ending.field } : {}) });
      case 'redirect': {
        const { parsed } = ending;
        if (parsed.ok) return ok(parsed);
        return err({ kind: parsed.error === 'denied' ? 'denied' : 'rejected', message: parsed.message });
      }
      default:
        return assertNever(ending, 'sign-in ending');
    }
  } finally {
    timer?.cancel();
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    session.close();
  }
}

async function startListener(listener: RedirectListener, port: number, gate: RedirectGate) {
  try {
    return ok(await listener.start(port, gate.judge));
  } catch {
    return err<SignInFailure>({ kind: 'listener-failed', message: port ? `The sign-in callback port ${port} is in use by another program. Close it or choose another port (it must match the connected app's callback URL).` : 'The app could not open a local port for the sign-in callback.' });
  }
}

/** oAuth-internal: Data2CRM's sign-in returns instance_url, access_token and refresh_token in the hash. */
export async function signInInternal(deps: SignInDeps & { readonly authBase: string }, options: SignInOptions = {}): Promise<Result<InternalTokens, SignInFailure>> {
  const gate = createRedirectGate();
  const capture = await startListener(deps.listener, 0, gate);
  if (!capture.ok) return capture;
  const { redirectUri } = capture.value;
  try {
    const state = randomUrlSafe();
    const url = data2crmAuthorizeUrl(deps.authBase, `${redirectUri}?state=${state}`);
    gate.expect((u) => parseAuthRedirect(u, { redirectUri, state, flow: 'internal', extraInstanceHosts: deps.extraInstanceHosts }));
    const parsed = await awaitRedirect(deps, url, redirectUri, gate, options);
    if (!parsed.ok) return parsed;
    const value = parsed.value as Extract<ParsedRedirect, { flow: 'internal' }>;
    return ok({ instanceUrl: value.instanceUrl, accessToken: value.accessToken, refreshToken: value.refreshToken });
  } finally {
    await capture.value.close();
  }
}

/** oAuth-external-refresh: the user's connected app, web-server flow with PKCE, on the registered callback port. */
export async function signInExternal(deps: SignInDeps & { readonly oauth: SalesforceOAuthClient; readonly callbackPort: number }, options: SignInOptions = {}): Promise<Result<TokenSet, SignInFailure>> {
  const gate = createRedirectGate();
  const capture = await startListener(deps.listener, deps.callbackPort, gate);
  if (!capture.ok) return capture;
  const { redirectUri } = capture.value;
  try {
    const pending = deps.oauth.beginAuthorization(redirectUri);
    gate.expect((u) => parseAuthRedirect(u, { redirectUri, state: pending.state, flow: 'external' }));
    const parsed = await awaitRedirect(deps, pending.url, redirectUri, gate, options);
    if (!parsed.ok) return parsed;
    const code = (parsed.value as Extract<ParsedRedirect, { flow: 'external' }>).code;
    const tokens = await deps.oauth.exchangeCode(code, pending, options.signal);
    if (!tokens.ok) return err({ kind: 'exchange-failed', message: tokens.error.message, api: tokens.error });
    return tokens;
  } finally {
    await capture.value.close();
  }
}
