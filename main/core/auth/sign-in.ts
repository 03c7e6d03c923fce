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
import { callbackUrlOf, type CallbackKind } from '../../../shared/callback-urls.js';
import { appSetupProblem, noRefreshToken, type SignInSetup } from './app-setup-errors.js';
import { interceptOnly } from './callback-listeners.js';
import { providerErrorPage } from './provider-error-page.js';
import { isRedirectTo, parseAuthRedirect, type ParsedRedirect, type UntrustedInstance } from './redirect.js';

export type SignInFailure =
  | { kind: 'cancelled'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'denied'; message: string }
  | { kind: 'rejected'; message: string; field?: string }
  | { kind: 'listener-failed'; message: string }
  | { kind: 'exchange-failed'; message: string; api: ApiFailure };

export interface SignInDeps {
  /** The loopback listener (http://127.0.0.1:<port>/callback). */
  readonly listener: RedirectListener;
  /** Where the OS hands custom-scheme callbacks (callback-listeners.ts); absent: that kind is unavailable. */
  readonly schemeListener?: RedirectListener;
  readonly browser: AuthBrowser;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly extraInstanceHosts: readonly string[];
}

export interface SignInOptions {
  readonly sessionId?: string;
  readonly silent?: boolean;
  readonly signal?: AbortSignal;
  /** Only the app's own window can catch this redirect (an https callback): never the system browser. */
  readonly embeddedOnly?: boolean;
}

/** Which callback an own app registered, and the loopback port when it is that one. */
export interface CallbackChoice {
  readonly kind: CallbackKind;
  readonly port: number;
}

export interface InternalTokens {
  readonly instanceUrl: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

export { isRedirectTo };

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

async function awaitRedirect(deps: SignInDeps, url: string, redirectUri: string, gate: RedirectGate, options: SignInOptions, setup?: SignInSetup): Promise<Result<ParsedRedirect & { ok: true }, SignInFailure>> {
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
  const session = deps.browser.open(url, { isRedirect, onPage, ...(options.sessionId ? { sessionId: options.sessionId } : {}), ...(options.silent ? { silent: true } : {}), ...(options.embeddedOnly ? { embeddedOnly: true } : {}) });
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
        // An app set up wrong (scopes) answers in the redirect: said under the field that fixes it.
        const problem = parsed.error === 'denied' && setup ? appSetupProblem(parsed.code, null, setup) : null;
        if (problem) return err({ kind: 'rejected', message: problem.message, field: problem.field });
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

/**
 * Asks whether an instance host the sign-in named may be trusted (main's own dialog); true once
 * the user said yes and the host is trusted from now on.
 */
export type TrustInstance = (instance: UntrustedInstance) => Promise<boolean>;

/** oAuth-internal: Data2CRM's sign-in returns instance_url, access_token and refresh_token in the hash. */
export async function signInInternal(deps: SignInDeps & { readonly authBase: string; readonly trustInstance?: TrustInstance }, options: SignInOptions = {}): Promise<Result<InternalTokens, SignInFailure>> {
  const gate = createRedirectGate();
  const capture = await startListener(deps.listener, 0, gate);
  if (!capture.ok) return capture;
  const { redirectUri } = capture.value;
  // A genuine redirect naming an instance nobody trusted yet: kept only if the user trusts it (below).
  let untrusted: UntrustedInstance | null = null;
  try {
    const state = randomUrlSafe();
    const url = data2crmAuthorizeUrl(deps.authBase, `${redirectUri}?state=${state}`);
    const parse = (u: string, extra: readonly string[]) => parseAuthRedirect(u, { redirectUri, state, flow: 'internal', extraInstanceHosts: extra });
    gate.expect((u) => {
      const parsed = parse(u, deps.extraInstanceHosts);
      if (parsed.ok || !parsed.untrustedInstance || !deps.trustInstance) return parsed;
      // Every other check passes with that one host trusted: the user is asked before anything is sent there.
      const ifTrusted = parse(u, [...deps.extraInstanceHosts, parsed.untrustedInstance.host]);
      if (ifTrusted.ok) untrusted = parsed.untrustedInstance;
      return ifTrusted.ok ? ifTrusted : parsed;
    });
    const parsed = await awaitRedirect(deps, url, redirectUri, gate, options);
    if (!parsed.ok) return parsed;
    const value = parsed.value as Extract<ParsedRedirect, { flow: 'internal' }>;
    if (untrusted && !(await deps.trustInstance!(untrusted))) return err({ kind: 'rejected', message: notTrusted(untrusted, 'sign-in') });
    return ok({ instanceUrl: value.instanceUrl, accessToken: value.accessToken, refreshToken: value.refreshToken });
  } finally {
    await capture.value.close();
  }
}

/** A declined trust question, naming the host and the one-step way for a local sandbox. */
export function notTrusted(instance: UntrustedInstance, source: 'sign-in' | 'pasted'): string {
  const sandbox = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(instance.origin);
  const named = source === 'sign-in' ? `the sign-in named ${instance.host} as the Salesforce instance` : `${instance.host} is the instance URL`;
  return `Not connected: ${named}, which is not a Salesforce address, and you did not trust it. Nothing was stored.${sandbox ? ` For a local sandbox, paste ${instance.origin} into Account → Advanced: service addresses → “Sandbox address” and press “Use this sandbox”.` : ''}`;
}

/** The listener that receives this callback kind's redirect. */
function listenerFor(deps: SignInDeps, callback: CallbackChoice): Result<{ listener: RedirectListener; port: number }, SignInFailure> {
  switch (callback.kind) {
    case 'loopback':
      return ok({ listener: deps.listener, port: callback.port });
    case 'custom-scheme':
      return deps.schemeListener ? ok({ listener: deps.schemeListener, port: 0 }) : err({ kind: 'listener-failed', message: 'This copy of the app cannot receive app-link callbacks. Choose another callback.' });
    case 'https':
      return ok({ listener: interceptOnly(callbackUrlOf('https', callback.port)), port: 0 });
    default:
      return assertNever(callback.kind, 'callback kind');
  }
}

/**
 * oAuth-external-refresh: the user's own app (External Client App or connected app), web-server
 * flow with PKCE, on the callback that app registered.
 */
export async function signInExternal(deps: SignInDeps & { readonly oauth: SalesforceOAuthClient; readonly callback: CallbackChoice; readonly withSecret: boolean }, options: SignInOptions = {}): Promise<Result<TokenSet, SignInFailure>> {
  const receiver = listenerFor(deps, deps.callback);
  if (!receiver.ok) return receiver;
  const gate = createRedirectGate();
  const capture = await startListener(receiver.value.listener, receiver.value.port, gate);
  if (!capture.ok) return capture;
  const { redirectUri } = capture.value;
  const setup: SignInSetup = { callbackUrl: redirectUri, withSecret: deps.withSecret };
  try {
    const pending = deps.oauth.beginAuthorization(redirectUri);
    gate.expect((u) => parseAuthRedirect(u, { redirectUri, state: pending.state, flow: 'external' }));
    // Only the app's own window can catch an https callback (it is never loaded).
    const parsed = await awaitRedirect(deps, pending.url, redirectUri, gate, { ...options, ...(deps.callback.kind === 'https' ? { embeddedOnly: true } : {}) }, setup);
    if (!parsed.ok) return parsed;
    const code = (parsed.value as Extract<ParsedRedirect, { flow: 'external' }>).code;
    const tokens = await deps.oauth.exchangeCode(code, pending, options.signal);
    if (!tokens.ok) {
      const problem = 'code' in tokens.error ? appSetupProblem(tokens.error.code, tokens.error.message, setup) : null;
      if (problem) return err({ kind: 'rejected', message: problem.message, field: problem.field });
      return err({ kind: 'exchange-failed', message: tokens.error.message, api: tokens.error });
    }
    if (!tokens.value.refreshToken) {
      const problem = noRefreshToken();
      return err({ kind: 'rejected', message: problem.message, field: problem.field });
    }
    return tokens;
  } finally {
    await capture.value.close();
  }
}
