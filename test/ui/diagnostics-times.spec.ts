/** Issue #14 item 11: the diagnostics preview reads as local times; the exported file keeps ISO 8601. */
import { readFileSync } from 'node:fs';
import { connectInternal } from '../support/ui-actions.js';
import { expect, test } from '../support/ui-fixtures.js';

test('diagnostics: readable times in the preview, ISO times in the export, no millisecond numbers in either', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, 'Acme');

  await page.getByRole('tab', { name: 'Activity' }).click();
  await page.getByRole('button', { name: 'Preview diagnostics' }).click();
  const preview = (await page.getByTestId('diagnostics-preview').innerText());
  const verifiedAt = app.core.settings.get().connections[0]!.lastVerifiedAt!;
  const readable = await page.evaluate((at) => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }), verifiedAt);
  expect(preview).toContain(`"lastVerifiedAt": "${readable}"`);
  expect(preview).not.toMatch(/\b\d{13}\b/);
  expect(preview).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);

  await page.getByRole('button', { name: 'Export diagnostics…' }).click();
  await expect(page.getByText(/Saved to /)).toBeVisible();
  const exported = readFileSync(app.diagnosticsFiles[0]!, 'utf8');
  expect(JSON.parse(exported).connections[0].lastVerifiedAt).toBe(new Date(verifiedAt).toISOString());
  expect(exported).not.toMatch(/\b\d{13}\b/);
});
