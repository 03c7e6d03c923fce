/** Issue #14 item 18: a sixth sign-in of one user through one app ends the oldest; said before, named after, checked at once. */
import { seriousViolations } from '../support/axe.js';
import { expect, test } from '../support/ui-fixtures.js';

test('a sixth Data2CRM sign-in of the same user is asked about first, then names the connection it ended, checked at once', async ({ page, renderer, app }) => {
  app.sandbox.control.setApprovalLimit(5);
  for (let i = 1; i <= 5; i++) expect(await app.core.app.connect({ mode: 'internal', label: `Acme ${i}`, crmType: 'Salesforce' })).toMatchObject({ ok: true });
  const opened = app.authBrowser.opened.length;

  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill('Acme 6');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const question = page.getByRole('alert').filter({ hasText: 'Signing in again' });
  await expect(question).toContainText('Salesforce keeps only 5 sign-ins per user through one app');
  await expect(question).toContainText('ends “Acme 1”: that connection would need re-authorization.');
  // The safe answer is the primary one; the one that ends another connection's sign-in is not.
  await expect(question.getByRole('button', { name: 'Don’t connect' })).toHaveClass(/primary/);
  await expect(question.getByRole('button', { name: 'Sign in anyway' })).not.toHaveClass(/primary/);
  for (const [scheme, width, height] of [['light', 1280, 720], ['dark', 460, 340]] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height });
    expect(await seriousViolations(page), `the question, ${scheme}, ${width}×${height}`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  // Nothing started before the answer.
  expect(app.authBrowser.opened).toHaveLength(opened);

  await question.getByRole('button', { name: 'Sign in anyway' }).click();
  const notice = page.getByRole('status').filter({ hasText: 'this sign-in ended the oldest' });
  await expect(notice).toContainText('Acme 6 is connected.', { timeout: 20_000 });
  await expect(notice).toContainText('“Acme 1” (now needs re-authorization). It was checked at once.');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), `the notice, ${scheme}`).toEqual([]);
  }
  const byLabel = (label: string) => app.core.settings.get().connections.find((c) => c.label === label)!;
  expect(byLabel('Acme 1').status).toBe('needs-reauthorization');
  expect(byLabel('Acme 2').status).toBe('healthy');
  await notice.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('listitem', { name: 'Acme 1' })).toContainText(/re-authoriz/i);
});

test('"Don’t connect" starts no sign-in; other users and pasted tokens are not counted', async ({ page, renderer, app }) => {
  app.sandbox.control.setApprovalLimit(5);
  for (let i = 1; i <= 5; i++) expect(await app.core.app.connect({ mode: 'internal', label: `Acme ${i}`, crmType: 'Salesforce' })).toMatchObject({ ok: true });
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill('Acme 6');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('button', { name: 'Don’t connect' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(app.core.settings.get().connections).toHaveLength(5);
  // Own connected app: another app, so no question.
  const own = await app.core.app.connect({ mode: 'external', label: 'Own', crmType: 'Salesforce', loginHost: app.sandbox.urls.salesforceLogin, clientId: 'sandbox-connected-app' });
  expect(own).toMatchObject({ ok: true });
  expect(own).not.toHaveProperty('notice');
});
