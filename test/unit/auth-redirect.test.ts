import { describe, expect, it } from 'vitest';
import { parseAuthRedirect, type ExpectedRedirect } from '../../main/core/index.js';

const AT = '00D5g000004ABCD!ARQAQK9x8fJ2mV7yYqLkC0jPzQeTn4sWbHdGuRiOa1Xv';
const RT = '5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrdhwNGR7n6iBZq5';
const STATE = 'Qm9ndXMtc3RhdGUtdmFsdWUtZm9yLXRlc3RzLTEyMzQ';
const internal: ExpectedRedirect = { redirectUri: 'http://127.0.0.1:53123/callback', state: STATE, flow: 'internal' };
const external: ExpectedRedirect = { redirectUri: 'http://127.0.0.1:1717/callback', state: STATE, flow: 'external' };

const hash = (values: Record<string, string>) => new URLSearchParams(values).toString();
const good = { instance_url: 'https://eu6.salesforce.com/', access_token: AT, refresh_token: RT };
const internalUrl = (values: Record<string, string> = good, base = `http://127.0.0.1:53123/callback?state=${STATE}`) => `${base}#${hash(values)}`;

function expectRejected(url: string, expected: ExpectedRedirect, error: string) {
  const result = parseAuthRedirect(url, expected);
  expect(result).toMatchObject({ ok: false, error });
  if (!result.ok) {
    expect(result.message).not.toContain(AT);
    expect(result.message).not.toContain(RT);
    expect(result.message).not.toContain(AT.slice(16, 30));
  }
  return result;
}

describe('parseAuthRedirect: accepted', () => {
  it('reads the three values of the internal flow from the hash, normalising the instance URL', () => {
    expect(parseAuthRedirect(internalUrl(), internal)).toEqual({ ok: true, flow: 'internal', instanceUrl: 'https://eu6.salesforce.com', accessToken: AT, refreshToken: RT });
  });

  it('reads the code of the external flow from the query', () => {
    expect(parseAuthRedirect(`http://127.0.0.1:1717/callback?code=aPrxABC123def456&state=${STATE}`, external)).toEqual({ ok: true, flow: 'external', code: 'aPrxABC123def456' });
  });

  it('accepts My Domain and sandbox instance hosts', () => {
    for (const instance of ['https://acme.my.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com', 'https://na1.force.com']) {
      expect(parseAuthRedirect(internalUrl({ ...good, instance_url: instance }), internal)).toMatchObject({ ok: true, instanceUrl: instance });
    }
  });

  it('accepts an explicitly allowed extra host (the sandbox), http only on loopback', () => {
    const withSandbox = { ...internal, extraInstanceHosts: ['127.0.0.1:4517'] };
    expect(parseAuthRedirect(internalUrl({ ...good, instance_url: 'http://127.0.0.1:4517' }), withSandbox)).toMatchObject({ ok: true, instanceUrl: 'http://127.0.0.1:4517' });
  });

  it('drops unknown extra parameters: the result holds only the named values (case 3)', () => {
    const result = parseAuthRedirect(internalUrl({ ...good, sfdc_community_url: 'https://x', id_token: 'eyJx', extra: 'v' }), internal);
    expect(result).toEqual({ ok: true, flow: 'internal', instanceUrl: 'https://eu6.salesforce.com', accessToken: AT, refreshToken: RT });
  });
});

describe('parseAuthRedirect: rejected (reliability cases 1–7)', () => {
  it.each([
    ['another host', internalUrl(good, `http://localhost:53123/callback?state=${STATE}`)],
    ['another port', internalUrl(good, `http://127.0.0.1:53124/callback?state=${STATE}`)],
    ['another path', internalUrl(good, `http://127.0.0.1:53123/callback2?state=${STATE}`)],
    ['a path prefix', internalUrl(good, `http://127.0.0.1:53123/callback/extra?state=${STATE}`)],
    ['another scheme', internalUrl(good, `https://127.0.0.1:53123/callback?state=${STATE}`)],
    ['credentials in the URL', internalUrl(good, `http://user:pw@127.0.0.1:53123/callback?state=${STATE}`)],
    ['javascript:', `javascript:alert(1)//#${hash(good)}`],
    ['data:', `data:text/html,hi#${hash(good)}`],
    ['not a URL', 'callback?state=x'],
  ])('case 1: redirect to %s → mismatch', (_name, url) => {
    expectRejected(url, internal, 'mismatch');
  });

  it.each(['instance_url', 'access_token', 'refresh_token'])('case 2: missing %s → missing', (name) => {
    const values: Record<string, string> = { ...good };
    delete values[name];
    expectRejected(internalUrl(values), internal, 'missing');
  });

  it('case 2: an empty value counts as missing; a tokens-in-query redirect has nothing in the hash', () => {
    expectRejected(internalUrl({ ...good, refresh_token: '' }), internal, 'missing');
    expectRejected(`http://127.0.0.1:53123/callback?state=${STATE}&${hash(good)}`, internal, 'missing');
    expectRejected(`http://127.0.0.1:1717/callback?state=${STATE}`, external, 'missing');
  });

  it('a value given twice → invalid', () => {
    expectRejected(`http://127.0.0.1:53123/callback?state=${STATE}#${hash(good)}&access_token=${AT}`, internal, 'invalid');
    expectRejected(`http://127.0.0.1:1717/callback?code=aPrxABC123def456&code=aPrxOTHER12345&state=${STATE}`, external, 'invalid');
  });

  it.each([
    ['http (not https)', 'http://eu6.salesforce.com'],
    ['a look-alike domain', 'https://evil-salesforce.com'],
    ['a suffix trick', 'https://eu6.salesforce.com.evil.example'],
    ['a substring in the path', 'https://evil.example/eu6.salesforce.com'],
    ['user info trick', 'https://eu6.salesforce.com@evil.example'],
    ['not a URL', 'eu6.salesforce.com'],
    ['javascript:', 'javascript:alert(1)'],
    ['http on a non-allowed loopback', 'http://127.0.0.1:4517'],
  ])('case 4: instance_url %s → invalid', (_name, instance) => {
    expectRejected(internalUrl({ ...good, instance_url: instance }), internal, 'invalid');
  });

  it('case 4: a refused instance is named, and marked as one the user could trust when it is https or loopback http', () => {
    for (const [instance, host] of [['https://evil-salesforce.com', 'evil-salesforce.com'], ['http://127.0.0.1:4517', '127.0.0.1:4517']] as const) {
      const result = parseAuthRedirect(internalUrl({ ...good, instance_url: instance }), internal);
      expect(result).toMatchObject({ ok: false, error: 'invalid', untrustedInstance: { host, origin: new URL(instance).origin }, message: expect.stringContaining(`named ${host} as the Salesforce instance`) });
    }
    for (const instance of ['javascript:alert(1)', 'http://sandbox.example:4517', 'https://eu6.salesforce.com@evil.example']) {
      const result = parseAuthRedirect(internalUrl({ ...good, instance_url: instance }), internal);
      expect(result).toMatchObject({ ok: false, error: 'invalid' });
      expect(result).not.toHaveProperty('untrustedInstance');
    }
  });

  it('case 4: an allowed extra host still needs https unless it is loopback', () => {
    expectRejected(internalUrl({ ...good, instance_url: 'http://sandbox.example:4517' }), { ...internal, extraInstanceHosts: ['sandbox.example:4517'] }, 'invalid');
  });

  it.each([
    ['missing', `http://127.0.0.1:53123/callback#${hash(good)}`],
    ['different', internalUrl(good, `http://127.0.0.1:53123/callback?state=${STATE.slice(0, -1)}X`)],
    ['a prefix of the real one', internalUrl(good, `http://127.0.0.1:53123/callback?state=${STATE.slice(0, 20)}`)],
    ['given twice', internalUrl(good, `http://127.0.0.1:53123/callback?state=${STATE}&state=${STATE}`)],
    ['only in the hash', `http://127.0.0.1:53123/callback#${hash({ ...good, state: STATE })}`],
  ])('case 5: state %s → state', (_name, url) => {
    expectRejected(url, internal, 'state');
  });

  it('case 5: external flow with a wrong state → state', () => {
    expectRejected(`http://127.0.0.1:1717/callback?code=aPrxABC123def456&state=other`, external, 'state');
  });

  it('case 6: an error redirect → denied with the provider description', () => {
    const denied = expectRejected(internalUrl({ error: 'access_denied', error_description: 'end-user denied authorization' }), internal, 'denied');
    expect(denied).toMatchObject({ message: 'Sign-in was not completed: end-user denied authorization.' });
    expectRejected(`http://127.0.0.1:1717/callback?error=access_denied&state=${STATE}`, external, 'denied');
  });

  it('case 6: a hostile error description is cleaned and never carries a token', () => {
    const result = expectRejected(internalUrl({ error: 'access_denied', error_description: `nope ${AT}\n<script>` }), internal, 'denied');
    expect(result.ok === false && result.message).toBe('Sign-in was not completed: nope [redacted] <script>.');
  });

  it.each([
    ['whitespace', `${AT} x`],
    ['a quote', `${AT}"`],
    ['too short', 'abc'],
    ['too long', 'A'.repeat(5000)],
  ])('a token with %s → invalid', (_name, token) => {
    expectRejected(internalUrl({ ...good, access_token: token }), internal, 'invalid');
  });

  it('an absurdly long redirect is refused before parsing', () => {
    expectRejected(internalUrl({ ...good, padding: 'x'.repeat(20_000) }), internal, 'invalid');
  });
});
