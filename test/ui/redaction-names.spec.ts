/**
 * Issue #25 item 1: only values the app accepted and holds are secrets. Names, org and user ids,
 * usernames, hosts and file paths pasted into every secret field (the user key, the wizard's
 * consumer secret, access and refresh tokens, a connection's "Paste new tokens") are refused, and
 * afterwards none of them is blanked anywhere: screens, IPC results, pushed events, notifications,
 * the diagnostics export and its "Saved to …" path, the state database. Every accepted secret
 * (the user key, the connections' tokens and client secret, the application keys) still appears
 * nowhere. The screens are read in every look (light and dark, 100 % and 200 %).
 */
import { readFileSync } from 'node:fs';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY } from '../sandbox/server.js';
import { freePort } from '../support/connect-harness.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { connectInternal } from '../support/ui-actions.js';
import { expect, test } from '../support/ui-fixtures.js';
import { inEveryLook } from '../support/ui-layout.js';
import { callApi } from '../support/window-api.js';

const LABEL = 'Acme Corporation Europe';
const PATH = '/home/jane.doe/Documents/data2crm-tray/exports/diagnostics-2026-05-01.json';

test('rejected pastes into secret fields never blank a name, org id, host or path; accepted secrets are still removed', async ({ page, renderer, app }) => {
  test.setTimeout(240_000);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connectInternal(page, LABEL);
  const pasted = await externalTokens(app.sandbox);
  expect(await callApi(page, 'connect', { mode: 'manual', label: 'Pasted org', crmType: 'Salesforce', instanceUrl: pasted.instanceUrl, accessToken: pasted.accessToken })).toMatchObject({ ok: true });
  const [acme, manual] = app.core.settings.get().connections;

  // The user key field, through the window: each identifier is refused under the field, and the stored key stays.
  await page.getByRole('tab', { name: 'Account' }).click();
  await page.getByRole('button', { name: 'Replace key…' }).click();
  const keyField = page.getByLabel('New user key');
  for (const value of [acme!.username!, acme!.orgId!, acme!.userId!, new URL(acme!.instanceUrl).hostname, acme!.instanceUrl, LABEL, PATH]) {
    await keyField.fill(value);
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect(keyField).toHaveAttribute('aria-invalid', 'true');
    if (value === acme!.orgId) await expect(keyField).toHaveAccessibleDescription(`That is the org id of ${LABEL}, not a Data2CRM user key. Nothing was saved.`);
    expect(app.core.vault.userKey()).toBe(SAMPLE_USER_KEY);
  }

  // The wizard's token fields and a connection's "Paste new tokens": Salesforce (or the form) refuses each.
  for (const value of [acme!.orgId!, acme!.userId!, PATH, acme!.username!, LABEL]) {
    const refused = [
      await callApi(page, 'connect', { mode: 'manual', label: 'Mistake', crmType: 'Salesforce', instanceUrl: acme!.instanceUrl, accessToken: value }),
      // A refresh token is taken only with the consumer key of the app that issued it (issue 25 item 2).
      await callApi(page, 'connect', { mode: 'manual', label: 'Mistake', crmType: 'Salesforce', instanceUrl: acme!.instanceUrl, accessToken: `${value}-x`, refreshToken: value, clientId: SAMPLE_CLIENT.clientId }),
      await callApi(page, 'updateTokens', manual!.id, value),
    ];
    for (const result of refused) expect(result.ok, `${value} was taken`).toBe(false);
  }
  // The consumer secret: the sign-in goes through, the token exchange refuses the secret.
  const port = await freePort();
  app.sandbox.control.addCallbackUrl(SAMPLE_CLIENT.clientId, `http://127.0.0.1:${port}/callback`);
  for (const value of [acme!.orgId!, PATH]) {
    expect(await callApi(page, 'connect', { mode: 'external', label: 'Own app', crmType: 'Salesforce', loginHost: app.sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: value, callbackPort: port })).toMatchObject({ ok: false });
  }
  expect(app.core.settings.get().connections.map((c) => c.label)).toEqual([LABEL, 'Pasted org']);

  // Afterwards, names that hold an earlier paste show it as it is.
  await page.getByRole('tab', { name: 'Connections' }).click();
  const renamed = `${LABEL} ${acme!.orgId}`;
  const row = page.getByRole('listitem', { name: LABEL });
  await row.getByRole('button', { name: 'Rename' }).click();
  await row.getByLabel('New name').fill(renamed);
  await row.getByRole('button', { name: 'Save' }).click();
  const item = page.getByRole('listitem', { name: renamed });
  await expect(item.getByRole('heading', { name: renamed })).toBeVisible();
  await expect(item.getByText(`${acme!.username} · ${acme!.instanceUrl}`)).toBeAttached();
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Refreshed and verified.')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('tab', { name: 'Activity' }).click();
  await page.getByRole('button', { name: 'Export diagnostics…' }).click();
  const savedTo = app.diagnosticsFiles[0] ?? '';
  await expect(page.getByText(`Saved to ${app.diagnosticsFiles[0] ?? 'the file'}.`)).toBeVisible();
  expect(savedTo.length).toBeGreaterThan(0);
  // Every look (light and dark, 100 % and 200 %) shows the names, ids, hosts and path as they are.
  const seen: string[] = [];
  await inEveryLook(page, async (look) => {
    // The message belongs to the export that produced it (it leaves with the tab): exported again here.
    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByRole('button', { name: 'Export diagnostics…' }).click();
    await expect(page.getByText(`Saved to ${savedTo}.`), look).toBeVisible();
    await expect(page.getByText(/\[redacted\]/), look).toHaveCount(0);
    seen.push(await page.content());
    await page.getByRole('tab', { name: 'Connections' }).click();
    await expect(item.getByRole('heading', { name: renamed }), look).toBeVisible();
    await expect(item.getByText(`${acme!.username} · ${acme!.instanceUrl}`), look).toBeAttached();
    await expect(page.getByRole('listitem', { name: 'Pasted org' }), look).toBeVisible();
    await expect(page.getByText(/\[redacted\]/), look).toHaveCount(0);
    seen.push(await page.content());
  });
  const screens = seen.join('\n');

  const places: Record<string, string> = {
    screens,
    'IPC results': JSON.stringify(app.responses),
    'pushed events': JSON.stringify(app.events),
    notifications: JSON.stringify(app.notices),
    'exported diagnostics': readFileSync(savedTo, 'utf8'),
    'state database': app.stateText(),
  };
  for (const [place, text] of Object.entries(places)) expect(text, `${place} blanks something`).not.toContain('[redacted]');
  for (const shown of [renamed, acme!.username!, acme!.instanceUrl]) expect(places['screens'], shown).toContain(shown);
  for (const kept of [renamed, acme!.orgId!]) expect(places['exported diagnostics'], kept).toContain(kept);
  expect(places['IPC results']).toContain(`Saved to ${savedTo}.`);

  // Accepted secrets: the user key, each connection's tokens, the application keys.
  const secrets = new Set<string>([SAMPLE_USER_KEY, pasted.accessToken, pasted.refreshToken!]);
  for (const c of app.core.settings.get().connections) {
    const stored = app.core.vault.secretsOf(c.id)!;
    for (const value of [stored.accessToken, stored.refreshToken, stored.clientSecret, c.applicationKey]) if (value) secrets.add(value);
  }
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) if (place !== 'state database' || !app.core.settings.get().connections.some((c) => c.applicationKey === secret)) expect(text.includes(secret), `${place} contains a secret ending …${secret.slice(-4)}`).toBe(false);
  }
});
