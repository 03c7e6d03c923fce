/**
 * A full flow through the UI — the three ways to connect, a re-authorization, the dialog, the
 * activity view and a diagnostics export — then every IPC result and event payload, the DOM of
 * every screen, the exported diagnostics, the settings file and the log are searched for each
 * secret the flow produced. None may appear.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY } from '../sandbox/server.js';
import { freePort } from '../support/connect-harness.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { expect, test } from '../support/ui-fixtures.js';

async function connect(page: Page, mode: 'Data2CRM sign-in' | 'Own connected app' | 'Paste tokens', label: string, fill: () => Promise<void> = async () => undefined) {
  await page.getByRole('tab', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByRole('radio', { name: new RegExp(`^${mode}`) }).check();
  await page.getByLabel('Connection name').fill(label);
  await fill();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('heading', { name: label })).toBeVisible({ timeout: 20_000 });
}

test('no IPC payload, event, screen, export, settings file or log line carries a secret', async ({ page, renderer, app }) => {
  const domSnapshots: string[] = [];
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await connect(page, 'Data2CRM sign-in', 'Internal org');
  const port = await freePort();
  app.sandbox.control.addCallbackUrl(SAMPLE_CLIENT.clientId, `http://127.0.0.1:${port}/callback`);
  await connect(page, 'Own connected app', 'External org', async () => {
    await page.getByRole('radio', { name: 'My Domain' }).check();
    await page.getByLabel('My Domain host').fill(app.sandbox.urls.salesforceLogin);
    await page.getByLabel('Consumer key (client id)').fill(SAMPLE_CLIENT.clientId);
    await page.getByLabel('Consumer secret (optional)').fill(SAMPLE_CLIENT.clientSecret);
    await page.getByLabel('Callback port (optional)').fill(String(port));
  });
  const pasted = await externalTokens(app.sandbox);
  await connect(page, 'Paste tokens', 'Pasted org', async () => {
    await page.getByRole('textbox', { name: 'Instance URL' }).fill(pasted.instanceUrl);
    await page.getByRole('textbox', { name: 'Access token', exact: true }).fill(pasted.accessToken);
    await page.getByRole('textbox', { name: 'Consumer key of the app that issued the tokens (optional)' }).fill(SAMPLE_CLIENT.clientId);
    await page.getByRole('textbox', { name: 'Refresh token', exact: true }).fill(pasted.refreshToken!);
  });
  const external = app.core.settings.get().connections.find((c) => c.label === 'External org')!;
  await page.getByRole('listitem', { name: 'External org' }).getByRole('button', { name: 'Re-authorize' }).click();
  await expect(page.getByRole('listitem', { name: 'External org' }).getByText('Re-authorized.')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('listitem', { name: 'External org' }).getByRole('button', { name: 'Refresh now' }).click();
  await expect(page.getByRole('listitem', { name: 'External org' }).getByText('Refreshed and verified.')).toBeVisible();

  for (const tab of ['Connections', 'Account', 'Refresh', 'General', 'Activity']) {
    await page.getByRole('tab', { name: tab }).click();
    if (tab === 'Activity') {
      await page.getByRole('button', { name: 'Preview diagnostics' }).click();
      await expect(page.getByTestId('diagnostics-preview')).toBeVisible();
      await page.getByRole('button', { name: 'Export diagnostics…' }).click();
      await expect(page.getByText(/Saved to /)).toBeVisible();
    }
    domSnapshots.push(await page.content());
  }
  const dialog = await app.openPage(`#/dialog/${external.id}`);
  await expect(dialog.getByRole('heading', { name: /External org/ })).toBeVisible();
  domSnapshots.push(await dialog.content());

  // Every secret the flow produced: each keychain entry's values, the user key, every application key.
  const secrets = new Set<string>([SAMPLE_USER_KEY, SAMPLE_CLIENT.clientSecret, pasted.accessToken, pasted.refreshToken!]);
  // Application keys: never in the renderer, the log or an export; the connection record in the
  // settings file keeps them (the connection model puts the key there, as non-secret data).
  const applicationKeys = new Set<string>();
  for (const record of app.core.settings.get().connections) {
    const stored = app.core.vault.secretsOf(record.id)!;
    for (const value of [stored.accessToken, stored.refreshToken, stored.clientSecret]) if (value) secrets.add(value);
    applicationKeys.add(record.applicationKey!);
  }
  for (const application of app.sandbox.state.applications.values()) for (const [name, value] of Object.entries(application.credentials)) if (name !== 'instance_url') secrets.add(value);
  expect(secrets.size).toBeGreaterThanOrEqual(8);
  expect(applicationKeys.size).toBe(3);

  const places: Record<string, string> = {
    'IPC results': JSON.stringify(app.responses),
    'pushed events': JSON.stringify(app.events),
    'screens (DOM)': domSnapshots.join('\n'),
    'exported diagnostics': readFileSync(app.diagnosticsFiles[0]!, 'utf8'),
    'settings file': readFileSync(app.settingsPath, 'utf8'),
    'state database': app.stateText(),
    log: JSON.stringify(app.logger.lines),
    notifications: JSON.stringify(app.notices),
  };
  expect(places['IPC results']!.length).toBeGreaterThan(1000);
  expect(places['exported diagnostics']).toContain('"External org"');
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) expect(text.includes(secret), `${place} contains a secret ending …${secret.slice(-4)}`).toBe(false);
    if (place !== 'settings file' && place !== 'state database') for (const key of applicationKeys) expect(text.includes(key), `${place} contains an application key ending …${key.slice(-4)}`).toBe(false);
  }
});
