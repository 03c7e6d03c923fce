/** Issue #14 items 14 and 16: own-connected-app mode's one login choice; a wrong consumer key is said at once; the sign-in's time left shows. */
import type { Page } from '@playwright/test';
import { SAMPLE_CLIENT } from '../sandbox/server.js';
import { seriousViolations } from '../support/axe.js';
import { expect, test } from '../support/ui-fixtures.js';

async function ownAppWizard(page: Page, origin: string, label: string) {
  await page.goto(`${origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByRole('radio', { name: /Own connected app/ }).check();
  await page.getByLabel('Connection name').fill(label);
}

test('one choice of where to sign in, starting from the Account login host; the org type follows from it', async ({ page, renderer, app }) => {
  await ownAppWizard(page, renderer.origin, 'Own app');
  // No separate "Org type" that could contradict the login choice.
  await expect(page.getByLabel('Org type')).toHaveCount(0);
  await expect(page.getByRole('radiogroup', { name: 'Where do you sign in?' }).or(page.getByRole('group', { name: 'Where do you sign in?' }))).toContainText('This also sets the org type. It starts from the Salesforce login host under Account');
  // The fixture's Account login host is the sandbox's address: My Domain, filled in with it.
  await expect(page.getByRole('radio', { name: /My Domain/ })).toBeChecked();
  await expect(page.getByLabel('My Domain host')).toHaveValue(app.sandbox.urls.salesforceLogin);
  await page.getByRole('radio', { name: /^Sandbox/ }).check();
  await expect(page.getByLabel('My Domain host')).toHaveCount(0);
  await page.getByRole('radio', { name: /My Domain/ }).check();
  await expect(page.getByLabel('My Domain host')).toHaveValue(app.sandbox.urls.salesforceLogin);
  await page.getByLabel('Consumer key (client id)').fill(SAMPLE_CLIENT.clientId);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Own app' })).toBeVisible({ timeout: 20_000 });
  const record = app.core.settings.get().connections[0]!;
  expect(record).toMatchObject({ mode: 'external', crmType: 'Salesforce', loginBaseUrl: app.sandbox.urls.salesforceLogin });
});

test("a wrong consumer key is said under its field as soon as Salesforce's error page shows, not after the timeout", async ({ page, renderer, app }) => {
  await ownAppWizard(page, renderer.origin, 'Own app');
  const key = page.getByLabel('Consumer key (client id)');
  await key.fill('3MVG9WrongKey.NotInThisOrg');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(key).toHaveAccessibleDescription(/Salesforce does not know this consumer key\. Copy it again from Setup → External Client App Manager → your app → Settings → OAuth Settings → Consumer Key and Secret/, { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), `own-app wizard with the wrong key said, ${scheme}`).toEqual([]);
  }
  expect(app.core.settings.get().connections).toHaveLength(0);

  // The callback URL the app doesn't list: said under the callback choice, naming the URL to add.
  await key.fill(SAMPLE_CLIENT.clientId);
  await page.getByLabel('Callback port (optional)').fill('1818');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Callback URL your app lists' })).toHaveAccessibleDescription(/Your app does not list this callback URL: http:\/\/127\.0\.0\.1:1818\/callback\. Add it/, { timeout: 20_000 });
  expect(app.core.settings.get().connections).toHaveLength(0);
});

test('while the sign-in window waits, the wizard says how long it waits and counts down', async ({ page, renderer, app }) => {
  await ownAppWizard(page, renderer.origin, 'Own app');
  await page.getByLabel('Consumer key (client id)').fill(SAMPLE_CLIENT.clientId);
  app.authBrowser.nextAction = 'nothing';
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  // The fixture's sign-in timeout is 1 min.
  await expect(page.getByRole('status').filter({ hasText: 'Complete the sign-in' })).toContainText('Complete the sign-in in the window that opened (waiting up to 1 min)');
  const timer = page.getByRole('timer', { name: 'Time left for the sign-in' });
  await expect(timer).toHaveText(/^Time left: 0:[0-5]\d$|^Time left: 1:00$/);
  const first = await timer.innerText();
  await expect(timer).not.toHaveText(first);
  await page.getByRole('button', { name: 'Cancel sign-in' }).click();
  await expect(timer).toHaveCount(0);
});
