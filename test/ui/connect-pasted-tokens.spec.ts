/**
 * Issue #25 item 2: "Paste tokens" asks for the consumer key of the app that issued the tokens
 * (saying where such tokens come from); with it a refresh token is asked for and the connection is
 * kept alive like an own-app one; without it the form does not ask for a refresh token and says
 * plainly that one cannot be used. The tokens come from the sandbox's control page, as a person
 * would get them ("Issue tokens to paste").
 */
import type { Page } from '@playwright/test';
import { buildTrayModel, type TrayMenuItem } from '../../main/core/index.js';
import { passesEveryLook } from '../support/looks.js';
import { expect, test, TEST_APP_INFO, type UiApp } from '../support/ui-fixtures.js';
import { DIALOG_SIZE, inEveryLook } from '../support/ui-layout.js';

// Sign-ins and axe in four looks on a shared 2-core machine: room, not a deadline.
test.describe.configure({ timeout: 240_000 });

const KEY_FIELD = 'Consumer key of the app that issued the tokens (optional)';

async function pasteWizard(page: Page, origin: string, label: string) {
  await page.goto(`${origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByRole('radio', { name: /^Paste tokens/ }).check();
  await page.getByLabel('Connection name').fill(label);
}

/** "Issue tokens to paste" on the control page, read as a person copies them. */
async function issueTokens(page: Page, address: string) {
  const controls = await page.context().newPage();
  await controls.goto(address);
  await controls.getByRole('button', { name: 'Issue tokens to paste' }).click();
  const read = (id: string) => controls.getByTestId(id).innerText();
  const tokens = { instanceUrl: await read('paste-instance-url'), accessToken: await read('paste-access-token'), refreshToken: await read('paste-refresh-token'), consumerKey: await read('paste-consumer-key') };
  await controls.close();
  return tokens;
}

/** A control page's button, pressed as a person would. */
async function pressControl(page: Page, address: string, name: string) {
  const controls = await page.context().newPage();
  await controls.goto(address);
  await controls.getByRole('button', { name }).click();
  await controls.close();
}

/** The tray menu's labels as the app would build it now (submenus included). */
function trayLabels(app: UiApp): string[] {
  const flat = (items: readonly TrayMenuItem[]): string[] => items.flatMap((i) => (i.kind === 'separator' ? [] : i.kind === 'submenu' ? [i.label, ...flat(i.items)] : [i.label]));
  return flat(buildTrayModel(app.core.app.trayState({ productName: TEST_APP_INFO.name, version: TEST_APP_INFO.version }, Date.now())).items);
}

test('without the consumer key no refresh token is asked for, and the form says why; with it, the refresh token and secret are asked for', async ({ page, renderer, app }) => {
  void app;
  await pasteWizard(page, renderer.origin, 'Pasted');
  await expect(page.getByRole('textbox', { name: /refresh token/i })).toHaveCount(0);
  const key = page.getByLabel(KEY_FIELD);
  await expect(key).toHaveAccessibleDescription(/Tokens come from a Salesforce app’s sign-in: your External Client App or Connected App, Salesforce CLI, Postman.*without it they last until the access token expires, and a refresh token cannot be used, so none is asked for\./);
  await expect(page.getByRole('radio', { name: /^Paste tokens/ })).toHaveAccessibleName(/renewed only with the consumer key of the app that issued them/);
  await passesEveryLook(page, 'paste tokens without a consumer key', 'paste-tokens-without-key');
  await key.fill('3MVG9SomeConsumerKey');
  await expect(page.getByLabel('Refresh token', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Consumer secret (optional)')).toBeVisible();
  await expect(key).toHaveAccessibleDescription('The app renews the tokens with this key, like an own app.');
  // The refresh token is needed once the key is given: said under it.
  await page.getByLabel('Instance URL', { exact: true }).fill('https://acme.my.salesforce.com');
  await page.getByLabel('Access token', { exact: true }).fill('00D000000000001!AQ0AQ.access.token');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByLabel('Refresh token', { exact: true })).toHaveAccessibleDescription('Paste the refresh token the app issued (the consumer key is only needed with it).');
  await passesEveryLook(page, 'paste tokens with a consumer key', 'paste-tokens-with-key');
  // Taking the key away takes the refresh token field (and its message) with it.
  await key.fill('');
  await expect(page.getByRole('textbox', { name: /refresh token/i })).toHaveCount(0);
});

/** Tokens issued by the sandbox's page, pasted with their app's consumer key and refresh token, connected and healthy. */
async function connectPastedWithKey(page: Page, rendererOrigin: string, sandboxOrigin: string) {
  const tokens = await issueTokens(page, sandboxOrigin);
  await pasteWizard(page, rendererOrigin, 'Pasted with key');
  await page.getByLabel('Instance URL', { exact: true }).fill(tokens.instanceUrl);
  await page.getByLabel('Access token', { exact: true }).fill(tokens.accessToken);
  await page.getByLabel(KEY_FIELD).fill(tokens.consumerKey);
  await page.getByLabel('Refresh token', { exact: true }).fill(tokens.refreshToken);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const item = page.getByRole('listitem', { name: 'Pasted with key' });
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 20_000 });
  return { tokens, item };
}

test('pasted tokens with the consumer key are renewed by the app: "Refresh now" gets a new access token from the app that issued them', async ({ page, renderer, app }) => {
  const { tokens, item } = await connectPastedWithKey(page, renderer.origin, app.sandbox.urls.origin);
  const record = app.core.settings.get().connections[0]!;
  expect(record).toMatchObject({ mode: 'external', connectedApp: { clientId: tokens.consumerKey } });
  // Its row says the app renews it; the refresh token lives in the keychain only.
  await item.getByText('Details').click();
  await expect(item.getByText('Token renewed by', { exact: true })).toBeVisible();
  expect(app.core.vault.secretsOf(record.id)?.refreshToken).toBe(tokens.refreshToken);
  const refreshes = () => app.sandbox.control.requestLog().filter((r) => r.route === 'sf.token' && (r.body as Record<string, string>)['grant_type'] === 'refresh_token');
  const before = refreshes().length;
  const pushed = () => [...app.sandbox.state.applications.values()][0]!.credentials['access_token'];
  const firstPushed = pushed();
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Refreshed and verified.')).toBeVisible({ timeout: 20_000 });
  expect(refreshes().length).toBe(before + 1);
  expect((refreshes().at(-1)!.body as Record<string, string>)['client_id']).toBe(tokens.consumerKey);
  expect(pushed()).not.toBe(firstPushed);
  expect(app.sandbox.state.liveAccessToken(pushed())).not.toBeNull();
  await page.getByRole('tab', { name: 'Activity' }).click();
  await expect(page.getByText('With pasted tokens, renewed through your app.')).toBeVisible();
});

test('pasted tokens without the consumer key: connected until the access token dies, no refresh token kept', async ({ page, renderer, app }) => {
  const tokens = await issueTokens(page, app.sandbox.urls.origin);
  await pasteWizard(page, renderer.origin, 'Pasted alone');
  await page.getByLabel('Instance URL', { exact: true }).fill(tokens.instanceUrl);
  await page.getByLabel('Access token', { exact: true }).fill(tokens.accessToken);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const item = page.getByRole('listitem', { name: 'Pasted alone' });
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 20_000 });
  const record = app.core.settings.get().connections[0]!;
  expect(record).toMatchObject({ mode: 'manual', connectedApp: null });
  expect(app.core.vault.secretsOf(record.id)).not.toHaveProperty('refreshToken');
  // The row shows when the pasted token runs out (not hidden, as it was with an unused refresh token).
  await item.getByText('Details').click();
  await expect(item.getByText('Token expires', { exact: true })).toBeVisible();
});

test('pasted tokens with the consumer key, when Salesforce ends them: "Paste new tokens" (access and refresh token), never a sign-in that was never set up; the pasted pair brings it back', async ({ page, renderer, app }) => {
  const { tokens, item } = await connectPastedWithKey(page, renderer.origin, app.sandbox.urls.origin);
  const record = app.core.settings.get().connections[0]!;
  expect(record.connectedApp).toMatchObject({ clientId: tokens.consumerKey, pasted: true });

  // Salesforce ends the sign-in (the control page's "Revoke all refresh tokens"); the next refresh finds out.
  await pressControl(page, app.sandbox.urls.origin, 'Revoke all refresh tokens');
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Needs new tokens', { exact: true })).toBeVisible({ timeout: 20_000 });
  const said = app.core.settings.get().connections[0]!.statusDetail!;
  expect(said).toMatch(/^Salesforce no longer accepts this sign-in.* Paste new tokens\.$/);
  expect(said).not.toMatch(/Authorize|re-authorize/i);
  // One notice, asking for what the card asks for.
  await expect.poll(() => app.notices.filter((n) => n.title === 'Pasted with key needs you').map((n) => n.body)).toEqual([`${said.replace(/ Paste new tokens\.$/, '')} Click to paste new tokens.`]);
  // The core's decision, in every face: the card, the dialog, the tray, the core itself.
  await inEveryLook(page, async (look) => {
    await expect(item.getByRole('button', { name: 'Paste new tokens…' }), look).toBeVisible();
    await expect(item.getByRole('button', { name: 'Re-authorize' }), look).toHaveCount(0);
    await expect(item.getByText(said), look).toBeVisible();
  });
  await passesEveryLook(page, 'a pasted-with-key connection that needs new tokens');
  expect(trayLabels(app)).toContain('Paste new tokens…');
  expect(trayLabels(app)).not.toContain('Re-authorize…');
  expect(await app.core.app.reauthorize(record.id)).toEqual({ ok: false, message: 'This connection uses pasted tokens: paste new ones instead.' });

  const dialog = await app.openPage(`#/dialog/${record.id}`);
  const form = dialog.getByRole('form', { name: 'Paste new tokens' });
  await inEveryLook(
    dialog,
    async (look) => {
      await expect(form.getByLabel('New access token'), look).toBeVisible();
      await expect(form.getByLabel('New refresh token'), look).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'Re-authorize' }), look).toHaveCount(0);
      // At 200 % the dialog's 260×280 CSS pixels hold the form by scrolling down, never sideways.
      await form.getByRole('button', { name: 'Update' }).scrollIntoViewIfNeeded();
      await expect(form.getByRole('button', { name: 'Update' }), look).toBeInViewport();
      expect(await dialog.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1), `${look} scrolls sideways`).toBe(false);
    },
    DIALOG_SIZE,
  );
  // An access token alone is not enough: the app renews with the refresh token.
  const fresh = await issueTokens(page, app.sandbox.urls.origin);
  await form.getByLabel('New access token').fill(fresh.accessToken);
  await form.getByRole('button', { name: 'Update' }).click();
  await expect(form.getByLabel('New refresh token')).toHaveAccessibleDescription(/Paste the new refresh token too: the app renews this connection with it\./);
  await form.getByLabel('New refresh token').fill(fresh.refreshToken);
  await form.getByRole('button', { name: 'Update' }).click();
  await expect(dialog.getByText('Healthy', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(item.getByText('Healthy', { exact: true })).toBeVisible();
  // Kept alive by its app with the new refresh token: a refresh renews it again.
  expect(app.core.vault.secretsOf(record.id)?.refreshToken).toBe(fresh.refreshToken);
  await item.getByRole('button', { name: 'Refresh now' }).click();
  await expect(item.getByText('Refreshed and verified.')).toBeVisible({ timeout: 20_000 });
});
