/** Issue #14 item 9: the activity log in plain words, with the user's own actions, live while open. */
import { connectInternal } from '../support/ui-actions.js';
import { expect, test } from '../support/ui-fixtures.js';

test('the activity log says what happened in plain words, grows while open, and Renewals shows renewals', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');
  const record = () => app.core.settings.get().connections[0]!;
  const id = record().id;
  await page.getByRole('tab', { name: 'Activity' }).click();
  const table = page.getByRole('table', { name: 'Recent events' });
  const what = (text: string | RegExp) => table.getByRole('cell', { name: text });
  await expect(what('Connected — Through the Data2CRM sign-in.')).toBeVisible();

  // Everything below happens while the log is open (through the whole core): each row appears by itself.
  expect(await app.core.app.rename(id, 'Acme Prod')).toMatchObject({ ok: true });
  await expect(what('Renamed — Was “Acme”.')).toBeVisible();

  // Salesforce drops the sign-in (no silent way back): "Needs you", never a raw state name.
  app.sandbox.control.setAutoApprove(false);
  app.authBrowser.nextAction = 'nothing';
  app.sandbox.control.revokeRefreshToken(app.sandbox.state.applications.get(record().applicationKey!)!.credentials['refresh_token']!);
  await app.core.app.refreshNow(id);
  await expect(what(/^Needs you: re-authorize it/)).toBeVisible();
  app.sandbox.control.setAutoApprove(true);
  app.authBrowser.nextAction = 'allow';
  expect(await app.core.app.reauthorize(id)).toMatchObject({ ok: true });
  await expect(what('Re-authorized')).toBeVisible();

  // Data2CRM loses the application: "Needs you" again, then Register again.
  app.sandbox.state.applications.delete(record().applicationKey!);
  await app.core.app.refreshNow(id);
  await expect(what(/^Needs you: deleted in Data2CRM, register it again/)).toBeVisible();
  expect(await app.core.app.registerAgain(id)).toMatchObject({ ok: true });
  await expect(what('Registered again in Data2CRM')).toBeVisible();

  // Renewals: new tokens, the user's re-authorization among them; not the connect or the rename.
  await page.getByLabel('Show').selectOption('renewals');
  await expect(what('Re-authorized')).toBeVisible();
  await expect(what(/^Connected/)).toHaveCount(0);
  await expect(what(/^Renamed/)).toHaveCount(0);
  await page.getByLabel('Show').selectOption('problems');
  await expect(what(/^Needs you/)).toHaveCount(2);
  await expect(what('Re-authorized')).toHaveCount(0);
  await page.getByLabel('Show').selectOption('all');

  expect(await app.core.app.disconnect(id)).toMatchObject({ ok: true });
  await expect(table.getByRole('row', { name: /Acme Prod Disconnected/ })).toBeVisible();
  // No raw state names, arrows or secrets anywhere in the log.
  await expect(table).not.toContainText(/needs-reauthorization|application-deleted|→|healthy/);
  const secrets = [...app.sandbox.state.applications.values()].flatMap((a) => Object.values(a.credentials));
  const text = await table.innerText();
  for (const secret of secrets) expect(text).not.toContain(secret);
});
