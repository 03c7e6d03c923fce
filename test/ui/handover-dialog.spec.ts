/**
 * "Hand over to a keeper…" in a connection's dialog, and "Take a handed-back connection…" in the
 * settings window, over the real core: the sealed file saved through the save-dialog port, the
 * passphrase shown in that one step and nowhere else (not the page afterwards, the log, the
 * settings, the state database, a notice), the receipt finishing it ("kept by keeper-1", its
 * tokens gone), and a package a keeper seals back taken again (renewed here again).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { receiptFor, sealPackage } from '../../main/core/handover/package.js';
import { connectInternal } from '../support/ui-actions.js';
import { expect, test } from '../support/ui-fixtures.js';

test('hand over from the dialog: passphrase once, a wrong receipt refused, the right one finishes; hand-back taken in the settings window', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');
  const record = app.core.settings.get().connections[0]!;
  const secrets = app.core.vault.secretsOf(record.id)!;

  const dialog = await app.openPage(`#/dialog/${record.id}`);
  await dialog.getByRole('button', { name: 'Hand over to a keeper…' }).click();
  await dialog.getByLabel('Keeper’s name').fill('keeper-1');
  await dialog.getByRole('button', { name: 'Seal and save…' }).click();
  const shown = dialog.locator('output.passphrase');
  await expect(shown).toHaveText(/^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/);
  const passphrase = (await shown.textContent())!;
  expect(app.handoverFiles).toHaveLength(1);
  expect(readFileSync(app.handoverFiles[0]!, 'utf8')).toMatch(/^D2CKEEP1\./);
  await expect(dialog.locator('.state-line')).toContainText('handing over to keeper-1 since');
  // From the seal on, this app does not renew it.
  expect(app.core.keepAlive.nextRunAt(record.id)).toBeNull();

  await dialog.getByRole('button', { name: 'I have noted it' }).click();
  await expect(shown).toHaveCount(0);
  for (const where of [await dialog.content(), await page.content(), JSON.stringify(app.logger.lines), readFileSync(app.settingsPath, 'utf8'), app.stateText(), JSON.stringify(app.notices), JSON.stringify(app.events)]) expect(where).not.toContain(passphrase);

  await dialog.getByLabel('Receipt from keeper-1').fill('WRONG123');
  await dialog.getByRole('button', { name: 'Finish hand-over' }).click();
  await expect(dialog.getByRole('alert')).toContainText('That receipt is not this hand-over’s');
  // What the keeper prints when it takes this package.
  const handoverId = app.core.settings.connection(record.id)!.keptBy!.handoverId;
  await dialog.getByLabel('Receipt from keeper-1').fill(receiptFor(handoverId, passphrase));
  await dialog.getByRole('button', { name: 'Finish hand-over' }).click();
  await expect(dialog.locator('.state-line')).toContainText('kept by keeper-1');
  await expect(dialog.getByRole('button', { name: 'Refresh now' })).toHaveCount(0);
  expect(app.core.vault.secretsOf(record.id)).toBeNull();

  // The keeper seals it back for this app (as `data2crm-keeper handback --out` does).
  const backPassphrase = 'BACK-PASS-WORD-2345-6789-ABCD';
  const backFile = join(tmpdir(), `d2c-handback-${randomUUID()}.d2ckeep`);
  const current = app.core.settings.connection(record.id)!;
  writeFileSync(backFile, sealPackage({ v: 1, id: randomUUID(), from: 'keeper-1', to: 'the tray', createdAt: Date.now(), record: { ...current, keptBy: null, receivedFrom: null }, secrets: { accessToken: secrets.accessToken, ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}) } }, backPassphrase));
  await page.getByRole('button', { name: 'Take a handed-back connection…' }).click();
  await page.getByLabel('Sealed file').setInputFiles(backFile);
  await page.getByLabel('Passphrase').fill(backPassphrase);
  await page.getByRole('button', { name: 'Take it' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Taken: Acme' })).toBeVisible();
  expect(app.core.settings.connection(record.id)!.keptBy ?? null).toBeNull();
  expect(app.core.keepAlive.nextRunAt(record.id)).not.toBeNull();
  await expect(page.getByLabel('Passphrase')).toHaveValue('');
});

test('no keeper name: refused in the contract’s words, nothing is sealed', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');
  const record = app.core.settings.get().connections[0]!;
  const dialog = await app.openPage(`#/dialog/${record.id}`);
  await dialog.getByRole('button', { name: 'Hand over to a keeper…' }).click();
  await dialog.getByRole('button', { name: 'Seal and save…' }).click();
  // An empty name is the contract's to refuse, in its words.
  await expect(dialog.getByRole('alert')).toContainText('Name the keeper');
  expect(app.core.settings.connection(record.id)!.keptBy ?? null).toBeNull();
});
