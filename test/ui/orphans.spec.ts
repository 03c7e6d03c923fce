/** "Found in the keychain": entries without a connection, listed with Recover and Delete, over the real core. */
import AxeBuilder from '@axe-core/playwright';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';
import { connectInternal } from '../support/ui-actions.js';
import { expect, test } from '../support/ui-fixtures.js';

test('entries without a record are listed; Recover brings one back as a connection, Delete revokes and wipes the other', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Bring back');
  await connectInternal(page, 'Throw away');
  const [back, away] = app.core.settings.get().connections;
  const awayRefresh = app.sandbox.state.applications.get(away!.applicationKey!)!.credentials['refresh_token']!;
  // The records are lost (as after a crash or a set-aside); the keychain entries stay.
  for (const c of [back!, away!]) app.core.keepAlive.forget(c.id);
  app.core.settings.update((s) => ({ ...s, connections: [] }));
  app.core.app.changed();

  const found = page.getByRole('region', { name: 'Found in the keychain' });
  await expect(page.getByText('No connections yet.')).toBeVisible();
  await expect(found.getByRole('listitem')).toHaveCount(2);
  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => v.id)).toEqual([]);

  await found.getByRole('listitem', { name: 'Bring back' }).getByRole('button', { name: 'Recover' }).click();
  await expect(page.getByRole('listitem', { name: 'Bring back' }).getByText('Healthy', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(found.getByRole('listitem')).toHaveCount(1);
  expect(app.core.settings.get().connections).toEqual([expect.objectContaining({ id: back!.id, applicationKey: back!.applicationKey, mode: 'internal' })]);

  const item = found.getByRole('listitem', { name: 'Throw away' });
  await item.getByRole('button', { name: 'Delete…' }).click();
  await item.getByRole('button', { name: 'Keep it' }).click();
  await item.getByRole('button', { name: 'Delete…' }).click();
  await expect(item.getByText('Revoke its sign-in and delete the entry?')).toBeVisible();
  await item.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(found).toHaveCount(0);
  expect(app.sandbox.state.applications.has(away!.applicationKey!)).toBe(false);
  expect(app.sandbox.state.refreshTokens.get(awayRefresh)?.revoked).toBe(true);
  expect(await createKeytarSecretStore(app.keychainService).get(`connection:${away!.id}`)).toBeNull();
  await page.screenshot({ path: 'test-results/screenshots/orphans-after.png' });
});

test('an entry whose metadata points elsewhere is shown as unrecognized with Delete only, which removes it from this computer (#22 item 5)', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Genuine');
  const genuine = app.core.settings.get().connections[0]!;
  const keychain = createKeytarSecretStore(app.keychainService);
  const entry = JSON.parse((await keychain.get(`connection:${genuine.id}`))!) as { meta: Record<string, unknown> };
  // Someone rewrites a copy of the entry to send its tokens elsewhere.
  await keychain.set('connection:planted-0000-entry', JSON.stringify({ ...entry, meta: { ...entry.meta, label: 'Looks genuine', instanceUrl: 'https://data.evil.example', applicationKey: null } }));
  await app.core.vault.loadAll();
  app.core.app.changed();

  const found = page.getByRole('region', { name: 'Found in the keychain' });
  const item = found.getByRole('listitem', { name: 'Unrecognized keychain entry' });
  await expect(item).toBeVisible();
  await expect(item.getByText(/^Not recognized: its instance address is not a Salesforce address the app trusts\./)).toBeVisible();
  await expect(item.getByText('Looks genuine')).toHaveCount(0);
  await expect(item.getByRole('button', { name: 'Recover' })).toHaveCount(0);
  await item.getByRole('button', { name: 'Delete…' }).click();
  await expect(item.getByText('Delete the entry from this computer?')).toBeVisible();
  await item.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(found).toHaveCount(0);
  expect(await keychain.get('connection:planted-0000-entry')).toBeNull();
  // The genuine connection and its application are untouched.
  expect(app.sandbox.state.applications.has(genuine.applicationKey!)).toBe(true);
  expect(await keychain.get(`connection:${genuine.id}`)).not.toBeNull();
});
