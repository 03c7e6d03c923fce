/**
 * A web page on another origin, open in the user's browser (Chromium) while a sign-in waits on
 * the loopback listener, tries what the issue's attacker tried: an <img> at `//`, fetches with
 * ?error=, a cross-site form POST and a forged-state POST. The sign-in must go on, and the genuine
 * redirect, loaded in the same browser, must complete it through the listener's own page.
 */
import type { Browser } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { signInInternal } from '../../main/core/index.js';
import type { AuthBrowser, RedirectListener } from '../../main/core/ports.js';
import { launchChromium } from '../support/chromium.js';
import { createFakeClock } from '../support/fake-clock.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());

const ACCESS = '00DAAAAAAAAAAAA!browsergenuine';
const FORGED = '00DAAAAAAAAAAAA!browserforged';

function attackerPage(callback: string): string {
  const forgedHref = `${callback}?state=guess#instance_url=https://eu6.salesforce.com&access_token=${FORGED}&refresh_token=5Aep861forgedforged`;
  const origin = new URL(callback).origin;
  return `<!doctype html><html><body>
<img id="a" src="${origin}//"><img id="b" src="${callback}?error=access_denied">
<iframe name="sink" id="sink"></iframe>
<form id="f" method="POST" action="${callback}" enctype="text/plain" target="sink"><input name="${forgedHref.split('=')[0]}" value="${forgedHref.slice(forgedHref.indexOf('=') + 1)}"></form>
<script>
const loaded = (el) => new Promise((r) => { el.onload = r; el.onerror = r; if (el.complete) r(); });
Promise.allSettled([
  loaded(document.getElementById('a')),
  loaded(document.getElementById('b')),
  fetch(${JSON.stringify(`${callback}?error=x`)}, { mode: 'no-cors' }),
  fetch(${JSON.stringify(`${origin}/callback?state=x&code=abcdefghij`)}, { mode: 'no-cors', referrerPolicy: 'no-referrer' }),
  fetch(${JSON.stringify(callback)}, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(forgedHref)} }),
  new Promise((r) => { document.getElementById('sink').onload = r; document.getElementById('f').submit(); }),
]).then(() => { document.title = 'done'; });
</script></body></html>`;
}

async function serve(html: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html()));
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

it('a page on another origin cannot end a pending sign-in; the genuine redirect in the same browser completes it', async () => {
  const judged: string[] = [];
  const inner = createLoopbackListener();
  const listener: RedirectListener = { start: (port, judge) => inner.start(port, (url) => (judged.push(url), judge(url))) };
  let authorizeUrl = '';
  // The system browser: it only opens the page; the listener sees the redirect.
  const systemBrowser: AuthBrowser = { open: (url) => ((authorizeUrl = url), { outcome: new Promise(() => undefined), close: () => undefined }), forgetSession: async () => undefined };
  const pending = signInInternal({ listener, browser: systemBrowser, clock: createFakeClock(), timeoutMs: 60_000, extraInstanceHosts: [], authBase: 'https://api.api2crm.com' });
  let settled = false;
  void pending.then(() => (settled = true));
  while (!authorizeUrl) await new Promise((r) => setTimeout(r, 5));
  const genuine = decodeURIComponent(new URL(authorizeUrl).searchParams.get('redirect')!);
  const callback = genuine.split('?')[0]!;

  const attacker = await serve(() => attackerPage(callback));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(attacker.origin);
    await page.waitForFunction('document.title === "done"');
    // The GETs with ?error= reached the listener and were judged (and ignored); the posts did not get that far.
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.every((u) => !u.includes('browsergenuine'))).toBe(true);
    expect(settled).toBe(false);

    const landing = await context.newPage();
    await landing.goto(`${genuine}#instance_url=https://eu6.salesforce.com&access_token=${ACCESS}&refresh_token=5Aep861browsergenuine`);
    await expect(pending).resolves.toEqual({ ok: true, value: { instanceUrl: 'https://eu6.salesforce.com', accessToken: ACCESS, refreshToken: '5Aep861browsergenuine' } });
    await landing.getByText('Sign-in received').waitFor();
    expect(landing.url()).toBe(callback);
  } finally {
    await context.close();
    await new Promise((resolve) => attacker.server.close(resolve));
  }
});
