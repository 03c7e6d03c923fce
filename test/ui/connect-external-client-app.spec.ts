/**
 * Issue #25 item 16 (Salesforce 2026: External Client Apps): the own-app wizard guides the setup
 * (the exact callback URL from the configured port, with Copy; scopes; PKCE; the refresh-token
 * policy; where the consumer key is; Connected Apps still named), offers the callbacks such an app
 * takes besides loopback (an app link, an https callback caught by the sign-in window and never
 * loaded), and says Salesforce's errors for an app set up wrong under the field that fixes them.
 * The sandbox acts as an External Client App where the test says so (only https and app-link callbacks).
 */
import type { Page } from '@playwright/test';
import { CUSTOM_SCHEME_CALLBACK, HTTPS_CALLBACK } from '../../shared/callback-urls.js';
import { SAMPLE_CLIENT } from '../sandbox/server.js';
import { passesEveryLook } from '../support/looks.js';
import { expect, test } from '../support/ui-fixtures.js';

// Sign-ins and axe in four looks on a shared 2-core machine: room, not a deadline.
test.describe.configure({ timeout: 240_000 });

async function ownAppWizard(page: Page, origin: string, label: string, clientId: string = SAMPLE_CLIENT.clientId) {
  await page.goto(`${origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByRole('radio', { name: /Own connected app/ }).check();
  await page.getByLabel('Connection name').fill(label);
  // The fixture's Account login host is the sandbox: My Domain, filled in with it.
  await page.getByLabel('Consumer key (client id)').fill(clientId);
}

const callbackGroup = (page: Page) => page.getByRole('group', { name: 'Callback URL your app lists' });
const connectButton = (page: Page) => page.getByRole('button', { name: 'Connect', exact: true });

test('the wizard guides an External Client App: the exact callback URL from the configured port, copied by main; scopes, PKCE, refresh-token policy, consumer key', async ({ page, renderer, app }) => {
  await ownAppWizard(page, renderer.origin, 'Guided');
  await expect(page.getByRole('radio', { name: /Own connected app/ })).toHaveAccessibleName(/External Client App .* or an existing Connected App/);
  // The fixture's callback port setting is 1717: the URL shown is the one to register, exactly.
  const url = page.locator('#callback-url');
  await expect(url).toHaveText('http://127.0.0.1:1717/callback');
  await page.getByLabel('Callback port (optional)').fill('1818');
  await expect(url).toHaveText('http://127.0.0.1:1818/callback');
  await callbackGroup(page).getByRole('button', { name: /^Copy the callback URL/ }).click();
  await expect(callbackGroup(page).getByRole('status')).toHaveText('Copied.');
  expect(app.clipboard).toEqual(['http://127.0.0.1:1818/callback']);
  for (const [choice, expected] of [[/^App link/, CUSTOM_SCHEME_CALLBACK], [/^https, caught by the sign-in window/, HTTPS_CALLBACK]] as const) {
    await callbackGroup(page).getByRole('radio', { name: choice }).check();
    await expect(url).toHaveText(expected);
    await expect(page.getByLabel('Callback port (optional)')).toHaveCount(0);
    await callbackGroup(page).getByRole('button', { name: `Copy the callback URL ${expected}` }).click();
    await expect.poll(() => app.clipboard.at(-1)).toBe(expected);
  }
  await expect(callbackGroup(page)).toHaveAccessibleDescription(/Never loaded: only the app’s own sign-in window catches it/);
  // Where the consumer key is, in the field's own hint.
  await expect(page.getByLabel('Consumer key (client id)')).toHaveAccessibleDescription(/Setup → External Client App Manager → your app → Settings → OAuth Settings → Consumer Key and Secret \(a Connected App: App Manager → View\)/);
  await page.getByText('How to set up your app in Salesforce').click();
  const guide = page.locator('details.guide');
  for (const step of [
    'External Client App Manager',
    'New External Client App',
    'orgs that still have Connected Apps',
    'Manage user data via APIs (api)',
    'Perform requests at any time (refresh_token, offline_access)',
    'Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows',
    'Require secret for Web Server Flow',
    'Refresh token is valid until revoked',
    'Settings → OAuth Settings → Consumer Key and Secret',
  ]) {
    await expect(guide).toContainText(step);
  }
  await passesEveryLook(page, 'own-app wizard with its setup guide', 'external-client-app-guide');
});

test('a sandbox acting as an External Client App: loopback is refused under the callback choice, the app link and the caught https callback connect (the https one never loads)', async ({ page, renderer, app }) => {
  app.sandbox.control.setCallbackPolicy('https-or-custom');
  await ownAppWizard(page, renderer.origin, 'ECA app link');
  await connectButton(page).click();
  await expect(callbackGroup(page)).toHaveAccessibleDescription(/Your app does not list this callback URL: http:\/\/127\.0\.0\.1:1717\/callback\. Add it/, { timeout: 20_000 });
  await passesEveryLook(page, 'own-app wizard with the callback refused');
  expect(app.core.settings.get().connections).toEqual([]);

  // The user picks the callback the app lists: the app link.
  await callbackGroup(page).getByRole('radio', { name: /^App link/ }).check();
  await expect(callbackGroup(page)).not.toHaveAccessibleDescription(/does not list/);
  await connectButton(page).click();
  await expect(page.getByRole('heading', { name: 'ECA app link' })).toBeVisible({ timeout: 30_000 });
  const viaLink = app.core.settings.get().connections.find((c) => c.label === 'ECA app link')!;
  expect(viaLink).toMatchObject({ mode: 'external', connectedApp: { clientId: SAMPLE_CLIENT.clientId, callback: 'custom-scheme' } });
  const exchanges = () => app.sandbox.control.requestLog().filter((r) => r.route === 'sf.token' && (r.body as Record<string, string>)['grant_type'] === 'authorization_code');
  expect((exchanges().at(-1)!.body as Record<string, string>)['redirect_uri']).toBe(CUSTOM_SCHEME_CALLBACK);

  // The https callback: caught in the sign-in window, never requested from anyone.
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByRole('radio', { name: /Own connected app/ }).check();
  await page.getByLabel('Connection name').fill('ECA https');
  await page.getByLabel('Consumer key (client id)').fill(SAMPLE_CLIENT.clientId);
  await callbackGroup(page).getByRole('radio', { name: /^https, caught by the sign-in window/ }).check();
  await connectButton(page).click();
  await expect(page.getByRole('heading', { name: 'ECA https' })).toBeVisible({ timeout: 30_000 });
  expect((exchanges().at(-1)!.body as Record<string, string>)['redirect_uri']).toBe(HTTPS_CALLBACK);
  expect(app.authBrowser.requested.filter((u) => u.startsWith(HTTPS_CALLBACK) || u.startsWith(CUSTOM_SCHEME_CALLBACK))).toEqual([]);

  // Re-authorizing signs in again on the callback the connection was made with.
  const item = page.getByRole('listitem', { name: 'ECA app link' });
  await item.getByRole('button', { name: 'Re-authorize' }).click();
  await expect(item.getByText('Re-authorized.')).toBeVisible({ timeout: 30_000 });
  expect((exchanges().at(-1)!.body as Record<string, string>)['redirect_uri']).toBe(CUSTOM_SCHEME_CALLBACK);
});

test("Salesforce's errors for an app set up wrong are said under the field that fixes them: scopes missing, PKCE not enabled, callback not listed", async ({ page, renderer, app }) => {
  const loopback = ['http://127.0.0.1:1717/callback'];
  app.sandbox.control.addConnectedApp({ clientId: 'eca-api-only', requireSecret: false, callbackUrls: loopback, scopes: ['api'] });
  app.sandbox.control.addConnectedApp({ clientId: 'eca-without-pkce', clientSecret: 'eca-secret-value-1', requireSecret: true, callbackUrls: loopback });
  app.sandbox.control.addConnectedApp({ clientId: 'eca-https-only', requireSecret: false, callbackUrls: [HTTPS_CALLBACK] });

  await ownAppWizard(page, renderer.origin, 'Misconfigured', 'eca-api-only');
  const key = page.getByLabel('Consumer key (client id)');
  await connectButton(page).click();
  await expect(key).toHaveAccessibleDescription(/This app does not allow the scopes the tray needs\. In Setup → External Client App Manager .* select “Manage user data via APIs \(api\)” and “Perform requests at any time \(refresh_token, offline_access\)”/, { timeout: 30_000 });
  await passesEveryLook(page, 'own-app wizard with the scopes missing');

  await key.fill('eca-without-pkce');
  await connectButton(page).click();
  const secret = page.getByLabel('Consumer secret (optional)');
  await expect(secret).toHaveAccessibleDescription(/Salesforce wants this app's consumer secret: PKCE is not enabled for it\. Either enter the Consumer Secret here, or .* turn on “Require Proof Key for Code Exchange \(PKCE\) extension for Supported Authorization Flows”/, { timeout: 30_000 });

  await key.fill('eca-https-only');
  await callbackGroup(page).getByRole('radio', { name: /^App link/ }).check();
  await connectButton(page).click();
  await expect(callbackGroup(page)).toHaveAccessibleDescription(new RegExp(`Your app does not list this callback URL: ${CUSTOM_SCHEME_CALLBACK.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.`), { timeout: 30_000 });
  await passesEveryLook(page, 'own-app wizard with the callback not listed');
  expect(app.core.settings.get().connections).toEqual([]);
  expect(app.sandbox.state.applications.size).toBe(0);

  // Fixed as the words say: the https callback the app lists connects.
  await callbackGroup(page).getByRole('radio', { name: /^https, caught by the sign-in window/ }).check();
  await connectButton(page).click();
  await expect(page.getByRole('heading', { name: 'Misconfigured' })).toBeVisible({ timeout: 30_000 });
});
