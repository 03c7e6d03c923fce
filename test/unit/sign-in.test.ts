/**
 * The sign-in runner's endings with a fake clock: timeout, window closed, cancellation, a genuine
 * redirect, and forged ones that must change nothing. The loopback listener is real; the
 * AuthBrowser is a scripted port double.
 */
import { describe, expect, it } from 'vitest';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { signInInternal } from '../../main/core/index.js';
import type { AuthBrowser, AuthBrowserSession } from '../../main/core/ports.js';
import { createFakeClock } from '../support/fake-clock.js';
import { request } from '../support/raw-http.js';

function scriptedBrowser(script: (url: string, close: () => void) => AuthBrowserSession['outcome']): AuthBrowser & { closed: number } {
  const browser = {
    closed: 0,
    open(url: string): AuthBrowserSession {
      return { outcome: script(url, () => undefined), close: () => void browser.closed++ };
    },
    forgetSession: async () => undefined,
  };
  return browser;
}

const never = () => new Promise<never>(() => undefined);
const deps = (browser: AuthBrowser, clock = createFakeClock()) => ({ listener: createLoopbackListener(), browser, clock, timeoutMs: 5 * 60_000, extraInstanceHosts: [], authBase: 'https://api.api2crm.com' });

async function listenerClosed(redirectUrl: string): Promise<boolean> {
  try {
    await fetch(redirectUrl);
    return false;
  } catch {
    return true;
  }
}

describe('sign-in endings', () => {
  it('times out after the configured time, closes the window and the listener', async () => {
    const clock = createFakeClock();
    let opened = '';
    const browser = scriptedBrowser((url) => ((opened = url), never()));
    const pending = signInInternal(deps(browser, clock));
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(5 * 60_000 - 1);
    await new Promise((r) => setTimeout(r, 5));
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(settled).toBe(false);
    clock.advance(1);
    expect(await pending).toEqual({ ok: false, error: { kind: 'timeout', message: 'The sign-in did not finish within 5 min. Nothing was stored.' } });
    expect(browser.closed).toBe(1);
    const redirect = decodeURIComponent(new URL(opened).searchParams.get('redirect')!);
    expect(await listenerClosed(redirect)).toBe(true);
  });

  it('reports a closed window as cancelled', async () => {
    const browser = scriptedBrowser(() => Promise.resolve({ kind: 'closed' }));
    expect(await signInInternal(deps(browser))).toMatchObject({ ok: false, error: { kind: 'cancelled', message: expect.stringContaining('window was closed') } });
  });

  it('stops when the caller cancels', async () => {
    const controller = new AbortController();
    const pending = signInInternal(deps(scriptedBrowser(never)), { signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
  });

  it('ignores a redirect with the wrong state that the browser reports, and the genuine one still completes', async () => {
    let authorizeUrl = '';
    const browser = scriptedBrowser((url) => {
      authorizeUrl = url;
      const redirect = new URL(decodeURIComponent(new URL(url).searchParams.get('redirect')!));
      redirect.searchParams.set('state', 'forged');
      redirect.hash = `instance_url=https://eu6.salesforce.com&access_token=${FORGED_ACCESS}&refresh_token=5Aep861forgedforged`;
      return Promise.resolve({ kind: 'redirect', url: redirect.toString() });
    });
    const pending = signInInternal(deps(browser));
    await until(() => authorizeUrl !== '');
    const genuine = decodeURIComponent(new URL(authorizeUrl).searchParams.get('redirect')!);
    expect(await postFromCallbackPage(genuine, `${genuine}#${GENUINE_HASH}`)).toBe(204);
    expect(await pending).toEqual({ ok: true, value: { instanceUrl: 'https://eu6.salesforce.com', accessToken: GENUINE_ACCESS, refreshToken: '5Aep861genuinegenuine' } });
  });

  it('forged requests to the listener are ignored: the pending sign-in goes on and the real redirect completes it', async () => {
    let authorizeUrl = '';
    const pending = signInInternal(deps(scriptedBrowser((url) => ((authorizeUrl = url), never()))));
    await until(() => authorizeUrl !== '');
    const genuine = decodeURIComponent(new URL(authorizeUrl).searchParams.get('redirect')!);
    const callback = genuine.split('?')[0]!;
    const { port } = new URL(callback);
    // What any web page in the user's browser could send.
    expect((await request(port, { path: '/callback?error=access_denied' })).status).toBe(400);
    expect((await request(port, { path: `/callback?${new URL(genuine).search.slice(1)}&error=access_denied`, headers: { host: `evil.example:${port}` } })).status).toBe(404);
    expect((await request(port, { path: '/callback?state=guess&code=abcdefghij' })).status).toBe(400);
    expect((await request(port, { method: 'POST', path: '/callback', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: `${genuine}#${GENUINE_HASH}` })).status).toBe(403);
    expect(await postFromCallbackPage(genuine, `${callback}?state=guess#instance_url=https://eu6.salesforce.com&access_token=${FORGED_ACCESS}&refresh_token=5Aep861forgedforged`)).toBe(400);
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    expect(await postFromCallbackPage(genuine, `${genuine}#${GENUINE_HASH}`)).toBe(204);
    expect(await pending).toMatchObject({ ok: true, value: { accessToken: GENUINE_ACCESS } });
  });

  it('the embedded window captures only a genuine redirect: a forged one is not a redirect to it, so its navigation rule blocks it', async () => {
    let opened: { url: string; isRedirect: (u: string) => boolean } | null = null;
    const browser: AuthBrowser = { open: (url, options) => ((opened = { url, isRedirect: options.isRedirect }), { outcome: never(), close: () => undefined }), forgetSession: async () => undefined };
    const pending = signInInternal(deps(browser));
    await until(() => opened !== null);
    const genuine = decodeURIComponent(new URL(opened!.url).searchParams.get('redirect')!);
    const callback = genuine.split('?')[0]!;
    expect(opened!.isRedirect(`${callback}?state=guess#${GENUINE_HASH}`)).toBe(false);
    expect(opened!.isRedirect(`${callback}#error=access_denied`)).toBe(false);
    expect(opened!.isRedirect(`${genuine}#${GENUINE_HASH}`)).toBe(true);
    expect(await pending).toMatchObject({ ok: true, value: { accessToken: GENUINE_ACCESS } });
  });

  it('a genuine error redirect (right state) ends the sign-in as denied', async () => {
    let authorizeUrl = '';
    const pending = signInInternal(deps(scriptedBrowser((url) => ((authorizeUrl = url), never()))));
    await until(() => authorizeUrl !== '');
    const genuine = decodeURIComponent(new URL(authorizeUrl).searchParams.get('redirect')!);
    expect(await postFromCallbackPage(genuine, `${genuine}#error=access_denied&error_description=The+user+said+no`)).toBe(204);
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'denied', message: expect.stringContaining('The user said no') } });
  });
});

const GENUINE_ACCESS = '00DAAAAAAAAAAAA!genuinegenuine';
const FORGED_ACCESS = '00DAAAAAAAAAAAA!forgedforged';
const GENUINE_HASH = `instance_url=https://eu6.salesforce.com&access_token=${GENUINE_ACCESS}&refresh_token=5Aep861genuinegenuine`;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
}

/** What the listener's own callback page does: POST location.href with its own Origin. */
async function postFromCallbackPage(redirectUri: string, href: string): Promise<number> {
  const url = new URL(redirectUri);
  return (await request(url.port, { method: 'POST', path: '/callback', headers: { origin: url.origin, 'content-type': 'text/plain' }, body: href })).status;
}
