/**
 * A renderer that tries to re-point where secrets go (the compromised-renderer probe): it
 * asks settings:update for another Data2CRM API, sign-in address and Salesforce login host, then
 * calls every verb that sends the user key or tokens, and connects its own connected app there.
 * The confirmation dialog (stubbed at its port) is asked, naming the new host; until it says yes
 * nothing reaches the other host, and the sign-in window's allow-list does not follow.
 */
import { authWindowNavigation } from '../../main/core/auth/navigation-policy.js';
import { DEFAULT_ENDPOINTS } from '../../main/core/settings/endpoints.js';
import { SAMPLE_CLIENT, startSandbox, type Sandbox } from '../sandbox/server.js';
import { expect, test } from '../support/ui-fixtures.js';
import { callApi } from '../support/window-api.js';

let elsewhere: Sandbox;
test.beforeEach(async () => {
  elsewhere = await startSandbox();
});
test.afterEach(() => elsewhere.close());

test('re-pointed endpoints get nothing sent anywhere until the main-process confirmation says yes', async ({ page, renderer, app }) => {
  test.setTimeout(90_000);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByTestId('app-version')).toBeVisible();
  expect(await callApi(page, 'connect', { mode: 'internal', label: 'Acme', crmType: 'Salesforce' })).toMatchObject({ ok: true });
  const id = app.core.settings.get().connections[0]!.id;
  const before = app.core.settings.get().endpoints;
  const otherHost = new URL(elsewhere.urls.origin).host;
  const repoint = { data2crmApiBase: elsewhere.urls.data2crmApi, data2crmAuthBase: elsewhere.urls.data2crmAuth, salesforceLoginHost: elsewhere.urls.salesforceLogin };
  const signInWindow = authWindowNavigation(() => app.core.settings.get());

  // Declined: nothing changes, and nothing that follows goes there.
  const refused = await callApi(page, 'updateSettings', { endpoints: repoint });
  expect(refused).toMatchObject({ ok: false, message: expect.stringContaining(otherHost) });
  expect(app.confirmations).toEqual([[expect.objectContaining({ setting: 'Data2CRM API', host: otherHost }), expect.objectContaining({ setting: 'Data2CRM sign-in', host: otherHost }), expect.objectContaining({ setting: 'Salesforce login', host: otherHost })]]);
  expect(app.core.settings.get().endpoints).toEqual(before);
  // Asked again at once (a window that insists): refused without another dialog for a minute (#22 item 10).
  for (let i = 0; i < 5; i++) expect(await callApi(page, 'updateSettings', { endpoints: repoint })).toMatchObject({ ok: false, message: expect.stringMatching(/^Not changed: you declined .* less than a minute ago/) });
  expect(app.confirmations).toHaveLength(1);
  expect(await callApi(page, 'testUserKey')).toMatchObject({ ok: true });
  expect(await callApi(page, 'refreshNow', id)).toMatchObject({ ok: true });
  expect(await callApi(page, 'reauthorize', id)).toMatchObject({ ok: true });
  const ownApp = await callApi(page, 'connect', { mode: 'external', label: 'Own app there', crmType: 'Salesforce', loginHost: elsewhere.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: 'a-client-secret-1' });
  expect(ownApp).toMatchObject({ ok: false, field: 'loginHost', message: expect.stringContaining('Nothing was sent there') });
  expect(app.confirmations).toHaveLength(2);
  expect(signInWindow(`${elsewhere.urls.data2crmAuth}/authorization/oauth/Salesforce/authorize`)).toBe('block');

  // The settings window's own form: asks, is told no, says so.
  await page.getByRole('tab', { name: 'Account' }).click();
  await page.getByText('Advanced: service addresses').click();
  await page.getByLabel('Data2CRM API base URL').fill(elsewhere.urls.data2crmApi);
  await page.getByRole('button', { name: 'Save addresses' }).click();
  await expect(page.getByText(/you did not confirm the new address/)).toBeVisible();
  expect(app.confirmations).toHaveLength(3);
  expect(elsewhere.control.requestLog()).toEqual([]);

  // Confirmed: now, and only now, the app talks to the other host (Data2CRM's two addresses: a change not declined a moment ago).
  app.confirmAnswer = true;
  expect(await callApi(page, 'updateSettings', { endpoints: { data2crmApiBase: repoint.data2crmApiBase, data2crmAuthBase: repoint.data2crmAuthBase } })).toMatchObject({ ok: true });
  expect(app.core.settings.get().endpoints).toMatchObject({ data2crmApiBase: elsewhere.urls.data2crmApi, data2crmAuthBase: elsewhere.urls.data2crmAuth });
  expect(signInWindow(`${elsewhere.urls.data2crmAuth}/authorization/oauth/Salesforce/authorize`)).toBe('allow');
  await callApi(page, 'testUserKey');
  expect(elsewhere.control.requestLog().map((r) => r.route)).toEqual(['d2c.application.count']);
  // The defaults are no new host: back to them without a question.
  app.confirmAnswer = false;
  expect(await callApi(page, 'updateSettings', { endpoints: { ...DEFAULT_ENDPOINTS } })).toMatchObject({ ok: true });
  expect(app.confirmations).toHaveLength(4);
});
