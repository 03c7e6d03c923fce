/**
 * README's "Try it without accounts", step by step, from a fresh install's default settings: the
 * user key and the sandbox address typed in the settings window, the three ways to connect, then
 * the sandbox's control page (real Chromium) to reach "Needs you" and back to "Healthy". If the
 * README's steps or labels change, this test must change with them.
 */
import type { Page } from '@playwright/test';
import { opensSettingsAtStart } from '../../main/core/start-window.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY } from '../sandbox/server.js';
import { expect, test } from '../support/ui-fixtures.js';

test.use({ startFromDefaults: true });

async function connect(page: Page, way: 'Data2CRM sign-in' | 'Own connected app' | 'Paste tokens', name: string, fill: () => Promise<void> = async () => undefined) {
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByRole('radio', { name: new RegExp(`^${way}`) }).check();
  await page.getByLabel('Connection name').fill(name);
  await fill();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('listitem', { name }).getByText('Healthy', { exact: true })).toBeVisible({ timeout: 30_000 });
}

test('README: try it without accounts, through all three ways to connect and the control page', async ({ page, renderer, app, context }) => {
  test.setTimeout(120_000);
  const address = app.sandbox.urls.origin; // what `npm run sandbox` prints (4517 there, a free port here)
  // A fresh install: nothing connected, so the settings window opens at start.
  expect(opensSettingsAtStart(app.core.settings.get())).toBe(true);
  await page.goto(`${renderer.origin}/index.html#/settings`);

  // 1. Settings → Account: the key, "Save key".
  await page.getByRole('tab', { name: 'Account' }).click();
  await page.getByLabel('New user key').fill(SAMPLE_USER_KEY);
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByTestId('user-key-fingerprint')).toBeVisible();

  // 2. Account → "Advanced: service addresses" → "Sandbox address", "Use this sandbox".
  await page.getByText('Advanced: service addresses').click();
  await page.getByLabel('Sandbox address').fill(address);
  // The app's own dialog (stubbed at its port) names the new host; the person says yes.
  app.confirmAnswer = true;
  await page.getByRole('button', { name: 'Use this sandbox' }).click();
  await expect(page.getByText(`Now using the sandbox at ${address} for Data2CRM and Salesforce.`)).toBeVisible();
  await expect(page.getByLabel('Data2CRM API base URL')).toHaveValue(`${address}/v1`);
  expect(app.confirmations.flat().map((c) => c.host)).toContain(new URL(address).host);

  // 3. Connections → "Connect Salesforce org…", once per way.
  await page.getByRole('tab', { name: 'Connections' }).click();
  await connect(page, 'Data2CRM sign-in', 'Sandbox sign-in');
  await connect(page, 'Own connected app', 'Sandbox own app', async () => {
    await page.getByRole('radio', { name: 'My Domain' }).check();
    await page.getByLabel('My Domain host').fill(address);
    await page.getByLabel('Consumer key (client id)').fill(SAMPLE_CLIENT.clientId);
    await page.getByLabel('Consumer secret (optional)').fill(SAMPLE_CLIENT.clientSecret);
  });
  const controls = await context.newPage();
  await controls.goto(address);
  await controls.getByRole('button', { name: 'Issue tokens to paste' }).click();
  await expect(controls.getByRole('status')).toContainText('Paste them under Connect Salesforce org… → Paste tokens; with the consumer key the app renews them itself');
  const pasted = { instanceUrl: await controls.getByTestId('paste-instance-url').innerText(), accessToken: await controls.getByTestId('paste-access-token').innerText(), refreshToken: await controls.getByTestId('paste-refresh-token').innerText(), consumerKey: await controls.getByTestId('paste-consumer-key').innerText() };
  await connect(page, 'Paste tokens', 'Sandbox pasted', async () => {
    await page.getByRole('textbox', { name: 'Instance URL' }).fill(pasted.instanceUrl);
    await page.getByRole('textbox', { name: 'Access token', exact: true }).fill(pasted.accessToken);
    await page.getByRole('textbox', { name: 'Consumer key of the app that issued the tokens (optional)' }).fill(pasted.consumerKey);
    await page.getByRole('textbox', { name: 'Refresh token', exact: true }).fill(pasted.refreshToken);
  });
  expect(app.sandbox.state.applications.size).toBe(3);

  // 4. Control page: "Revoke all refresh tokens"; "Refresh now" → "Needs you"; "Re-authorize" → "Healthy".
  await controls.getByRole('button', { name: 'Revoke all refresh tokens' }).click();
  await expect(controls.getByRole('status')).toContainText('each connection should show "Needs you", with exactly one notification for all of them');
  // The silent re-authorization runs in a hidden window: nobody types into its sign-in page.
  app.authBrowser.nextAction = 'nothing';
  const item = page.getByRole('listitem', { name: 'Sandbox sign-in' });
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Needs you', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => app.notices.map((n) => n.title)).toEqual(['Sandbox sign-in needs you']);
  app.authBrowser.nextAction = 'allow';
  await item.getByRole('button', { name: 'Re-authorize' }).click();
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 30_000 });
});
