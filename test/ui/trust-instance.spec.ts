/**
 * Issue #25 item 11: the sandbox's addresses set one by one ("Or set each address yourself")
 * leave its instance host untrusted. A Data2CRM sign-in (or pasted tokens) naming that host asks
 * main's own confirmation, naming the host; a yes trusts it and connects with the same sign-in, a
 * no says which host was not trusted and how "Use this sandbox" does it in one step. Nothing is kept.
 */
import type { Page } from '@playwright/test';
import { SAMPLE_USER_KEY } from '../sandbox/server.js';
import { passesEveryLook } from '../support/looks.js';
import { expect, test } from '../support/ui-fixtures.js';

// Sign-ins and axe in four looks on a shared 2-core machine: room, not a deadline.
test.describe.configure({ timeout: 240_000 });

test.use({ startFromDefaults: true });

/** Account → Advanced: the three addresses typed by hand, confirmed in main's dialog. */
async function setEachAddress(page: Page, origin: string, app: { confirmAnswer: boolean }, sandbox: string) {
  await page.goto(`${origin}/index.html#/settings/account`);
  await page.getByLabel('New user key').fill(SAMPLE_USER_KEY);
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByTestId('user-key-fingerprint')).toBeVisible();
  await page.getByText('Advanced: service addresses').click();
  await page.getByLabel('Data2CRM API base URL').fill(`${sandbox}/v1`);
  await page.getByLabel('Data2CRM auth base URL').fill(sandbox);
  await page.getByLabel('Salesforce login host').fill(sandbox);
  app.confirmAnswer = true;
  await page.getByRole('button', { name: 'Save addresses' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
}

async function connectInternal(page: Page, label: string) {
  await page.getByRole('tab', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill(label);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

test('a sign-in naming an untrusted sandbox host asks main to trust it, naming the host; yes connects with that same sign-in', async ({ page, renderer, app }) => {
  const sandbox = app.sandbox.urls.origin;
  const host = new URL(sandbox).host;
  await setEachAddress(page, renderer.origin, app, sandbox);
  expect(app.core.settings.get().extraInstanceHosts).toEqual([]);
  const asked = app.confirmations.length;
  await connectInternal(page, 'Set by hand');
  await expect(page.getByRole('heading', { name: 'Set by hand' })).toBeVisible({ timeout: 20_000 });
  expect(app.confirmations.slice(asked)).toEqual([[expect.objectContaining({ setting: 'Salesforce instance', host })]]);
  expect(app.core.settings.get().extraInstanceHosts).toEqual([host]);
  // One sign-in: the approval the user gave is the one in use.
  expect(app.authBrowser.opened).toHaveLength(1);
  expect(app.core.settings.get().connections[0]).toMatchObject({ instanceUrl: sandbox, status: 'healthy' });
});

test('no to the question: the wizard names the host that is not trusted and the one-step "Use this sandbox"; nothing is kept', async ({ page, renderer, app }) => {
  const sandbox = app.sandbox.urls.origin;
  const host = new URL(sandbox).host;
  await setEachAddress(page, renderer.origin, app, sandbox);
  app.confirmAnswer = false;
  await connectInternal(page, 'Declined');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(`Not connected: the sign-in named ${host} as the Salesforce instance, which is not a Salesforce address, and you did not trust it. Nothing was stored.`, { timeout: 20_000 });
  await expect(alert).toContainText(`For a local sandbox, paste ${sandbox} into Account → Advanced: service addresses → “Sandbox address” and press “Use this sandbox”.`);
  await passesEveryLook(page, 'wizard with the untrusted instance named');
  expect(app.core.settings.get().connections).toEqual([]);
  expect(app.core.settings.get().extraInstanceHosts).toEqual([]);
  expect(app.sandbox.state.applications.size).toBe(0);

  // Pasted tokens naming the same host get the same question, under the Instance URL.
  await page.getByRole('radio', { name: /^Paste tokens/ }).check();
  await page.getByLabel('Connection name').fill('Pasted by hand');
  await page.getByLabel('Instance URL', { exact: true }).fill(sandbox);
  await page.getByLabel('Access token', { exact: true }).fill('00DSBX000000001!pasted.access.token');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByLabel('Instance URL', { exact: true })).toHaveAccessibleDescription(`Not connected: ${host} is the instance URL, which is not a Salesforce address, and you did not trust it. Nothing was stored. For a local sandbox, paste ${sandbox} into Account → Advanced: service addresses → “Sandbox address” and press “Use this sandbox”.`);
  expect(app.confirmations.at(-1)).toEqual([expect.objectContaining({ setting: 'Salesforce instance', host })]);

  // The hint's way: "Use this sandbox" trusts it in one step, and the sign-in then asks nothing.
  await page.getByRole('tab', { name: 'Account' }).click();
  await page.getByText('Advanced: service addresses').click();
  await page.getByLabel('Sandbox address').fill(sandbox);
  app.confirmAnswer = true;
  await page.getByRole('button', { name: 'Use this sandbox' }).click();
  await expect(page.getByText(`Now using the sandbox at ${sandbox} for Data2CRM and Salesforce.`)).toBeVisible();
  const asked = app.confirmations.length;
  await connectInternal(page, 'Now trusted');
  await expect(page.getByRole('heading', { name: 'Now trusted' })).toBeVisible({ timeout: 20_000 });
  expect(app.confirmations.length).toBe(asked);
});
