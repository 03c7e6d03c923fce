/**
 * Validates the redirect that ends a sign-in. Everything in it is hostile input: the scheme,
 * host, port and path must be exactly the ones we sent; the state must be the pending sign-in's,
 * once; each required value must be present exactly once and look sane; instance_url must be a
 * Salesforce (or explicitly allowed) https URL; nothing else is kept. Messages carry no token.
 */
import { timingSafeEqual } from 'node:crypto';
import { safeServerText } from '../http/api-failure.js';
import { isTrustedSalesforceUrl, trustableInstance } from '../salesforce/hosts.js';

export type AuthFlow = 'internal' | 'external';

export interface ExpectedRedirect {
  /** Exactly what was sent, without the state query. */
  readonly redirectUri: string;
  /** The pending sign-in's one-time state. */
  readonly state: string;
  /** internal: tokens in the hash; external: ?code=&state=. */
  readonly flow: AuthFlow;
  /** Allowed besides Salesforce's domains (sandbox, tests), as host[:port]. */
  readonly extraInstanceHosts?: readonly string[];
}

export type RedirectError = 'mismatch' | 'state' | 'missing' | 'invalid' | 'denied';

/** An instance the user could choose to trust: https, or http on loopback (a local sandbox). */
export interface UntrustedInstance {
  /** host[:port], as extraInstanceHosts holds it. */
  readonly host: string;
  readonly origin: string;
}

export type ParsedRedirect =
  | { ok: true; flow: 'internal'; instanceUrl: string; accessToken: string; refreshToken: string }
  | { ok: true; flow: 'external'; code: string }
  /** `code`: the provider's error code (denied); `untrustedInstance`: the host that made it invalid, when trusting it could help. */
  | { ok: false; error: RedirectError; message: string; code?: string; untrustedInstance?: UntrustedInstance };

const TOKEN_SHAPE = /^[A-Za-z0-9._~+/=!:-]{10,4096}$/;
const CODE_SHAPE = /^[A-Za-z0-9._~+/=!:%-]{8,2048}$/;
const MAX_URL_LENGTH = 16_384;

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

const fail = (error: RedirectError, message: string): ParsedRedirect => ({ ok: false, error, message });

function sameEndpoint(actual: URL, expected: URL): boolean {
  return (
    actual.protocol === expected.protocol &&
    actual.hostname === expected.hostname &&
    actual.port === expected.port &&
    actual.pathname === expected.pathname &&
    actual.username === '' &&
    actual.password === ''
  );
}

/** The single value of a parameter, or why there is not exactly one. */
function single(params: URLSearchParams, name: string): { value: string } | { problem: 'missing' | 'invalid' } {
  const values = params.getAll(name);
  if (values.length === 0 || values[0] === '') return { problem: 'missing' };
  if (values.length > 1) return { problem: 'invalid' };
  return { value: values[0]! };
}

function stateMatches(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why an instance URL is refused, naming its host; trustable ones (https, or http on loopback) say so. */
function untrusted(instanceUrl: string): ParsedRedirect {
  const instance = trustableInstance(instanceUrl);
  if (!instance) {
    const scheme = /^[a-z][a-z0-9+.-]{0,20}:/i.exec(instanceUrl)?.[0] ?? 'no scheme';
    return fail('invalid', `The sign-in named an instance address with ${scheme} as the Salesforce instance: only https addresses can be, so nothing was stored.`);
  }
  return { ok: false, error: 'invalid', message: `The sign-in named ${instance.host} as the Salesforce instance, which is not a Salesforce address (https on salesforce.com or force.com) nor one you trusted; nothing was stored.`, untrustedInstance: instance };
}

export function parseAuthRedirect(url: string, expected: ExpectedRedirect): ParsedRedirect {
  if (url.length > MAX_URL_LENGTH) return fail('invalid', 'The sign-in redirect is too long to be genuine.');
  let actual: URL;
  let wanted: URL;
  try {
    actual = new URL(url);
    wanted = new URL(expected.redirectUri);
  } catch {
    return fail('mismatch', 'The sign-in returned to an address that is not a valid URL.');
  }
  if (!sameEndpoint(actual, wanted)) return fail('mismatch', 'The sign-in returned to an unexpected address; nothing was stored.');

  const state = single(actual.searchParams, 'state');
  if (!('value' in state) || !stateMatches(state.value, expected.state)) {
    return fail('state', 'The sign-in response does not belong to the sign-in in progress (state mismatch); nothing was stored.');
  }

  // Internal: values come in the fragment; external: in the query.
  const values = expected.flow === 'internal' ? new URLSearchParams(actual.hash.replace(/^#/, '')) : actual.searchParams;
  if (values.has('error')) {
    const reason = safeServerText(values.get('error_description')) ?? safeServerText(values.get('error')) ?? 'access denied';
    const code = /^[a-z_]{1,60}$/.exec(values.get('error') ?? '')?.[0];
    return { ok: false, error: 'denied', message: `Sign-in was not completed: ${reason}.`, ...(code ? { code } : {}) };
  }

  if (expected.flow === 'external') {
    const code = single(values, 'code');
    if (!('value' in code)) return fail(code.problem, code.problem === 'missing' ? 'The sign-in response has no authorization code.' : 'The sign-in response has more than one authorization code.');
    if (!CODE_SHAPE.test(code.value)) return fail('invalid', 'The authorization code in the sign-in response is malformed.');
    return { ok: true, flow: 'external', code: code.value };
  }

  const found: Record<string, string> = {};
  for (const name of ['instance_url', 'access_token', 'refresh_token'] as const) {
    const one = single(values, name);
    if (!('value' in one)) return fail(one.problem, one.problem === 'missing' ? `The sign-in response lacks ${name}; nothing was stored.` : `The sign-in response has ${name} more than once; nothing was stored.`);
    found[name] = one.value;
  }
  if (!TOKEN_SHAPE.test(found['access_token']!) || !TOKEN_SHAPE.test(found['refresh_token']!)) return fail('invalid', 'A token in the sign-in response is malformed; nothing was stored.');
  if (!isTrustedSalesforceUrl(found['instance_url']!, expected.extraInstanceHosts)) return untrusted(found['instance_url']!);
  return {
    ok: true,
    flow: 'internal',
    instanceUrl: new URL(found['instance_url']!).origin,
    accessToken: found['access_token']!,
    refreshToken: found['refresh_token']!,
  };
}
