/**
 * Issue #25 items 11 and 16 in the sign-in runner: an instance host nobody trusted yet is asked
 * about after a genuine redirect (yes: the same sign-in's tokens; no: nothing), and the app-link
 * callbacks the OS hands over reach the pending sign-in's gate, where only a genuine one counts.
 * The loopback listener is real; the AuthBrowser is a scripted port double.
 */
import { describe, expect, it } from 'vitest';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { createSchemeRedirects } from '../../main/core/auth/callback-listeners.js';
import { parseAuthRedirect } from '../../main/core/auth/redirect.js';
import { createRedirectGate, signInInternal } from '../../main/core/auth/sign-in.js';
import type { AuthBrowser } from '../../main/core/ports.js';
import { CUSTOM_SCHEME_CALLBACK } from '../../shared/callback-urls.js';
import { createFakeClock } from '../support/fake-clock.js';

const ACCESS = '00DAAAAAAAAAAAA!sandboxaccess';
const SANDBOX = 'http://127.0.0.1:4517';

/** A browser that lands on the redirect with the sandbox's instance in its hash. */
function landingBrowser(instanceUrl: string): AuthBrowser {
  return {
    open(url) {
      const redirect = decodeURIComponent(new URL(url).searchParams.get('redirect')!);
      return { outcome: Promise.resolve({ kind: 'redirect', url: `${redirect}#instance_url=${instanceUrl}&access_token=${ACCESS}&refresh_token=5Aep861sandboxrefresh` }), close: () => undefined };
    },
    forgetSession: async () => undefined,
  };
}

const deps = (browser: AuthBrowser, trustInstance?: (i: { host: string; origin: string }) => Promise<boolean>) => ({
  listener: createLoopbackListener(),
  browser,
  clock: createFakeClock(),
  timeoutMs: 60_000,
  extraInstanceHosts: [],
  authBase: 'https://api.api2crm.com',
  ...(trustInstance ? { trustInstance } : {}),
});

describe('an instance host nobody trusted yet', () => {
  it('is asked about once, naming the host; yes returns the same sign-in’s tokens', async () => {
    const asked: Array<{ host: string; origin: string }> = [];
    const result = await signInInternal(deps(landingBrowser(SANDBOX), async (i) => (asked.push(i), true)));
    expect(asked).toEqual([{ host: '127.0.0.1:4517', origin: SANDBOX }]);
    expect(result).toEqual({ ok: true, value: { instanceUrl: SANDBOX, accessToken: ACCESS, refreshToken: '5Aep861sandboxrefresh' } });
  });

  it('no keeps nothing and says which host, with the one-step way for a local sandbox', async () => {
    const result = await signInInternal(deps(landingBrowser(SANDBOX), async () => false));
    expect(result).toEqual({ ok: false, error: { kind: 'rejected', message: expect.stringMatching(/^Not connected: the sign-in named 127\.0\.0\.1:4517 as the Salesforce instance.*“Use this sandbox”\.$/) } });
  });

  it('is never asked about when it cannot be trusted (http off loopback), nor without a question to ask', async () => {
    const asked: string[] = [];
    expect(await signInInternal(deps(landingBrowser('http://sandbox.example:4517'), async (i) => (asked.push(i.host), true)))).toMatchObject({ ok: false, error: { message: expect.stringContaining('only https addresses can be') } });
    expect(asked).toEqual([]);
    expect(await signInInternal(deps(landingBrowser(SANDBOX)))).toMatchObject({ ok: false, error: { message: expect.stringContaining('named 127.0.0.1:4517 as the Salesforce instance') } });
  });
});

describe('app-link callbacks the OS hands to the app', () => {
  const STATE = 'pending-state-0123456789';
  async function pendingSignIn() {
    const redirects = createSchemeRedirects();
    const gate = createRedirectGate();
    const capture = await redirects.listener.start(0, gate.judge);
    gate.expect((u) => parseAuthRedirect(u, { redirectUri: capture.redirectUri, state: STATE, flow: 'external' }));
    return { redirects, gate, capture };
  }

  it('reach the pending sign-in: another state, another scheme or path, and junk are ignored; the genuine one ends it', async () => {
    const { redirects, gate, capture } = await pendingSignIn();
    expect(capture.redirectUri).toBe(CUSTOM_SCHEME_CALLBACK);
    expect(redirects.deliver(`${CUSTOM_SCHEME_CALLBACK}?code=abcdefghij&state=guessed`)).toBe('ignored');
    expect(redirects.deliver(`com.data2crm.tray:/elsewhere?code=abcdefghij&state=${STATE}`)).toBe('ignored');
    expect(redirects.deliver(`com.other.app:/oauth/callback?code=abcdefghij&state=${STATE}`)).toBe('ignored');
    expect(redirects.deliver(`${CUSTOM_SCHEME_CALLBACK}?code=abcdefghij&state=${STATE}&x=${'y'.repeat(20_000)}`)).toBe('ignored');
    expect(redirects.deliver(42)).toBe('ignored');
    expect(redirects.deliver(`${CUSTOM_SCHEME_CALLBACK}?code=abcdefghij&state=${STATE}`)).toBe('accepted');
    expect(await gate.ended).toEqual({ ok: true, flow: 'external', code: 'abcdefghij' });
  });

  it('reach nothing once the sign-in has ended (its listener closed)', async () => {
    const { redirects, capture } = await pendingSignIn();
    await capture.close();
    expect(redirects.deliver(`${CUSTOM_SCHEME_CALLBACK}?code=abcdefghij&state=${STATE}`)).toBe('ignored');
  });
});
