/**
 * The sign-in runner's endings with a fake clock: timeout, window closed, cancellation, and a
 * hostile redirect. The loopback listener is real; the AuthBrowser is a scripted port double.
 */
import { describe, expect, it } from 'vitest';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { signInInternal } from '../../main/core/index.js';
import type { AuthBrowser, AuthBrowserSession } from '../../main/core/ports.js';
import { createFakeClock } from '../support/fake-clock.js';

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

  it('rejects a redirect with the wrong state even when the browser reports it', async () => {
    const browser = scriptedBrowser((url) => {
      const redirect = new URL(decodeURIComponent(new URL(url).searchParams.get('redirect')!));
      redirect.searchParams.set('state', 'forged');
      redirect.hash = 'instance_url=https://eu6.salesforce.com&access_token=00DAAAAAAAAAAAA!abcdefghij&refresh_token=5Aep861abcdefghij';
      return Promise.resolve({ kind: 'redirect', url: redirect.toString() });
    });
    expect(await signInInternal(deps(browser))).toMatchObject({ ok: false, error: { kind: 'rejected', message: expect.stringContaining('state mismatch') } });
  });

  it('a page elsewhere on the machine posting a forged URL to the listener cannot complete the sign-in', async () => {
    let redirectUri = '';
    const browser = scriptedBrowser((url) => {
      redirectUri = decodeURIComponent(new URL(url).searchParams.get('redirect')!).split('?')[0]!;
      return never();
    });
    const pending = signInInternal(deps(browser));
    await new Promise((r) => setTimeout(r, 20));
    await fetch(redirectUri, { method: 'POST', body: `${redirectUri}?state=guess#instance_url=https://eu6.salesforce.com&access_token=00DAAAAAAAAAAAA!abcdefghij&refresh_token=5Aep861abcdefghij` });
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'rejected' } });
  });
});
