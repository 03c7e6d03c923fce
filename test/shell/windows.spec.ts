/** The app's windows under the stand-in: strict webPreferences, navigation and permissions, app://. */
import { resolve } from 'node:path';
import { SCENARIOS } from '../support/app-scenarios.js';
import { callApi, connectWithTokens, expect, test } from './shell-app.js';

const STRICT = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  disableBlinkFeatures: 'Auxclick',
  spellcheck: false,
};

test(SCENARIOS.strictWindows, async ({ shell }) => {
  const standIn = await shell.launch();
  standIn.tray().clickMenuItem('Settings…');
  const { window: settings, page } = await shell.window('/settings');
  expect(settings.options.webPreferences).toEqual({ ...STRICT, preload: resolve('out/preload/index.cjs') });
  expect(settings.options.show).toBe(false); // shown on ready-to-show, never blank

  await shell.saveUserKey(page);
  const id = await connectWithTokens(shell, page, 'Acme');
  standIn.tray().clickMenuItem(/^Acme —/, 'Paste new tokens…');
  const { window: dialog } = await shell.window(`/dialog/${id}`);
  expect(dialog.options.webPreferences).toEqual({ ...STRICT, preload: resolve('out/preload/index.cjs') });

  for (const window of [settings, dialog]) {
    // Permission requests and checks are denied (Electron grants them all by default).
    expect(await window.webContents.session.checkPermission('media', 'app://renderer')).toEqual({ check: false, request: false });
  }

  // A navigation the page starts to anywhere but the renderer is cancelled by will-navigate.
  const sandboxPage = `${shell.sandbox.urls.origin}/`;
  await page.evaluate((url) => {
    location.href = url;
  }, sandboxPage);
  await page.evaluate((url) => {
    const link = document.createElement('a');
    link.href = url;
    document.body.append(link);
    link.click();
  }, sandboxPage);
  await expect(page.getByTestId('app-version')).toBeVisible();
  expect(settings.webContents.getURL()).toBe('app://renderer/index.html#/settings');
  // window.open is denied, and a page of ours may navigate within the renderer (in-page).
  const pagesBefore = page.context().pages().length;
  await page.evaluate((url) => void window.open(url), sandboxPage);
  await expect.poll(() => settings.webContents.deniedWindowOpens).toEqual([sandboxPage]);
  await expect.poll(() => page.context().pages().length).toBe(pagesBefore);
});

test(SCENARIOS.appProtocol, async ({ shell }) => {
  const standIn = await shell.launch();
  expect(standIn.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  const served = await page.evaluate(async () => {
    const index = await fetch('/index.html');
    // Electron's net.fetch rejects for a missing file, so the request fails (no 404 page).
    const missing = await fetch('/nothing-here.js').then(() => 'served', () => 'failed');
    // out/renderer/../../package.json exists: an encoded parent path must not reach it.
    const parent = await fetch('/..%2f..%2fpackage.json');
    return { index: [index.status, index.headers.get('content-type')], missing, parent: parent.status, isSecureContext };
  });
  expect(served).toEqual({ index: [200, 'text/html'], missing: 'failed', parent: 404, isSecureContext: true });
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  // Chromium enforces it: an injected inline script does not run.
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran).toBe(false);
});

test(SCENARIOS.endpointDialog, async ({ shell }) => {
  const standIn = await shell.launch();
  const { page } = await shell.window('/settings');
  const before = await callApi<{ endpoints: Record<string, string> }>(page, 'getSettings');
  const elsewhere = { ...before.endpoints, data2crmApiBase: 'https://api.elsewhere.example/v1' };
  // Cancel (the default button): nothing changes.
  const refused = await callApi<{ ok: boolean }>(page, 'updateSettings', { endpoints: elsewhere });
  expect(refused.ok).toBe(false);
  expect(standIn.records.messageBoxes.at(-1)).toMatchObject({ type: 'warning', title: 'Confirm new service address', message: expect.stringContaining('api.elsewhere.example'), cancelId: 0 });
  expect(await callApi<{ endpoints: Record<string, string> }>(page, 'getSettings')).toMatchObject({ endpoints: before.endpoints });
  // Asked again within the minute after a no: refused without another dialog (issue 22 item 10).
  const asked = standIn.records.messageBoxes.length;
  expect(await callApi<{ ok: boolean }>(page, 'updateSettings', { endpoints: elsewhere })).toMatchObject({ ok: false });
  expect(standIn.records.messageBoxes).toHaveLength(asked);
  // Another address: the dialog names it, and the user presses "Use api.other.example": saved.
  const other = { ...before.endpoints, data2crmApiBase: 'https://api.other.example/v1' };
  standIn.records.nextMessageBoxResponse = 1;
  expect(await callApi<{ ok: boolean }>(page, 'updateSettings', { endpoints: other })).toMatchObject({ ok: true });
  expect(standIn.records.messageBoxes.at(-1)!.buttons).toEqual(['Cancel', 'Use api.other.example']);
  expect(await callApi<{ endpoints: Record<string, string> }>(page, 'getSettings')).toMatchObject({ endpoints: { data2crmApiBase: 'https://api.other.example/v1' } });
});
