/**
 * Issue #25 items 3 and 14: a message belongs to the state that produced it and leaves when that
 * state changes (README step 1's "Saved, but …" does not outlive step 2's "Now using the
 * sandbox"); a fresh install says its two steps in the order they can be done. Each state is
 * looked at in every look (light and dark, 100 % and 200 %) over the same app.
 */
import { twinOrigin } from '../sandbox/control-page.js';
import { SAMPLE_USER_KEY } from '../sandbox/server.js';
import { expect, test } from '../support/ui-fixtures.js';
import { inEveryLook } from '../support/ui-layout.js';

test.describe('from a fresh install', () => {
  test.use({ startFromDefaults: true });

  test('README steps 1 and 2: the key saved against the default address says so, and leaves when the sandbox is used', async ({ page, renderer, app }) => {
    await page.goto(`${renderer.origin}/index.html#/settings/account`);
    // Step 1: the key is saved and tested at the default address, which this machine cannot reach.
    await page.getByLabel('New user key').fill(SAMPLE_USER_KEY);
    await page.getByRole('button', { name: 'Save key' }).click();
    const saved = page.locator('.card-message').filter({ hasText: /^Saved, but / });
    await expect(saved).toBeVisible({ timeout: 30_000 });
    await inEveryLook(page, async (look) => {
      await expect(saved, look).toBeVisible();
      await expect(saved, look).toBeInViewport();
    });
    // Step 2: the sandbox. Its note is said; step 1's red one is gone (it was about another address).
    await page.getByText('Advanced: service addresses').click();
    await page.getByLabel('Sandbox address').fill(app.sandbox.urls.origin);
    app.confirmAnswer = true;
    await page.getByRole('button', { name: 'Use this sandbox' }).click();
    await inEveryLook(page, async (look) => {
      await expect(page.getByText(`Now using the sandbox at ${app.sandbox.urls.origin} for Data2CRM and Salesforce.`), look).toBeVisible();
      await expect(saved, look).toHaveCount(0);
    });
    // The app's own question named the sandbox by the addresses it is used at (http, not https):
    // both loopback names, since an org the sandbox moves is served under the other one (issue 21).
    expect(app.confirmations.flat().filter((c) => c.setting === 'Salesforce instance').map((c) => c.url)).toEqual([app.sandbox.urls.origin, twinOrigin(app.sandbox.urls.origin)]);
    // The hint names the command as code, not in Markdown backticks.
    await expect(page.locator('details .hint code').first()).toHaveText('npm run sandbox');
    await expect(page.getByText(/`/)).toHaveCount(0);
    // Testing the key now says what is true now, in the same one place.
    await page.getByRole('button', { name: 'Test key' }).click();
    await inEveryLook(page, async (look) => {
      await expect(page.locator('.card-message'), look).toHaveText(/^Data2CRM accepted the key/);
      await expect(page.getByRole('alert'), look).toHaveCount(0);
    });
  });

  test('no connection yet: the two steps in order, the first one leading to Account, then marked done', async ({ page, renderer, app }) => {
    await page.goto(`${renderer.origin}/index.html#/settings`);
    const steps = page.locator('.first-steps li');
    await inEveryLook(page, async (look) => {
      await expect(steps, look).toHaveText([/^Save your Data2CRM user key under Account/, /^Connect a Salesforce org/]);
      await expect(page.getByText('No connections yet. Connect a Salesforce org'), look).toHaveCount(0);
      // In reading order on the screen too: step 1 above step 2, both in view.
      const [one, two] = [await steps.nth(0).boundingBox(), await steps.nth(1).boundingBox()];
      expect(one!.y, look).toBeLessThan(two!.y);
      await expect(steps.nth(1), look).toBeInViewport();
      await expect(page.locator('.first-steps').getByRole('button', { name: 'Open Account' }), look).toBeInViewport();
    });
    await page.locator('.first-steps').getByRole('button', { name: 'Open Account' }).click();
    await expect(page.getByRole('tab', { name: 'Account', selected: true })).toBeVisible();
    await app.core.app.setUserKey(SAMPLE_USER_KEY);
    await page.getByRole('tab', { name: 'Connections' }).click();
    await inEveryLook(page, async (look) => {
      await expect(steps.first(), look).toHaveText('Your Data2CRM user key is saved (Account).');
      await expect(steps.first(), look).toHaveClass(/step-done/);
      await expect(steps.nth(1), look).toHaveText(/^Connect a Salesforce org/);
    });
  });
});
