/**
 * Leak scan: seeds short secrets (an 8-character user key, 10-character pasted tokens, a short
 * client secret) besides the long ones a sign-in produces, makes the servers echo every secret
 * a request carried back in their error messages (as is, URL-encoded, base64), drives the flows
 * that fail that way from the renderer, and searches everything that left the core (IPC results,
 * pushed events, screens, the diagnostics export, the settings and activity files, the log,
 * notifications, every output of the `data2crm-tray` command) for each secret in each of those encodings. None may appear; connection ids stay.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalApiServer } from '../../main/adapters/local-api-server.js';
import { createLocalApi } from '../../main/local-api/index.js';
import type { createApi } from '../../preload/api.js';
import { SAMPLE_CLIENT } from '../sandbox/server.js';
import type { FaultKind } from '../sandbox/faults.js';
import { runCli, startCli } from '../support/command-line.js';
import { freePort } from '../support/connect-harness.js';
import { expect, test, TEST_APP_INFO, type UiApp } from '../support/ui-fixtures.js';
import { callApi } from '../support/window-api.js';

type Api = ReturnType<typeof createApi>;
type Encoding = Extract<FaultKind, { kind: 'echo' }>['encoding'];

const SHORT_KEY = 'Kx7q2.Zw';
const SHORT_CLIENT_SECRET = 'cs-9Qv2x';
const pastedFor = (encoding: Encoding) => ({ access: `00Dq!${encoding.slice(0, 3)}7z9`, refresh: `rT-${encoding.slice(0, 3)}-x81` });

const forms = (secret: string) => [secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];

function echoNext(app: UiApp, route: string, encoding: Encoding, remaining = 1): void {
  app.sandbox.control.clearFaults();
  app.sandbox.control.fault({ route, remaining, fault: { kind: 'echo', status: 400, encoding } });
}

test('short and long secrets echoed by failing servers appear nowhere outside the core', async ({ page, renderer, app }) => {
  test.setTimeout(120_000);
  app.sandbox.control.addUserKey(SHORT_KEY);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByTestId('app-version')).toBeVisible();
  expect(await callApi(page, 'setUserKey', SHORT_KEY)).toMatchObject({ ok: true });
  expect(await callApi(page, 'updateSettings', { refresh: { notifyAfterMinutes: 0 } })).toMatchObject({ ok: true });
  expect(await callApi(page, 'connect', { mode: 'internal', label: 'Echo org', crmType: 'Salesforce' })).toMatchObject({ ok: true });
  const internal = app.core.settings.get().connections[0]!;
  const port = await freePort();
  app.sandbox.control.addCallbackUrl(SAMPLE_CLIENT.clientId, `http://127.0.0.1:${port}/callback`);

  const failures: string[] = [];
  const fails = async <V extends Parameters<typeof callApi>[1]>(verb: V, ...args: Parameters<Api[V]>) => {
    const result = await callApi(page, verb, ...args);
    expect(result.ok, result.message).toBe(false);
    failures.push(result.message ?? '');
  };
  for (const encoding of ['plain', 'url', 'base64'] as const) {
    echoNext(app, 'd2c.application.count', encoding);
    await fails('testUserKey');
    // The internal connection's refresh starts by reading its application: that answer echoes (a fault
    // on any route could be taken by another request the app makes meanwhile).
    echoNext(app, 'd2c.application.get', encoding);
    await fails('refreshNow', internal.id);
    const pasted = pastedFor(encoding);
    echoNext(app, '*', encoding);
    await fails('connect', { mode: 'manual', label: 'Pasted', crmType: 'Salesforce', instanceUrl: app.sandbox.urls.origin, accessToken: pasted.access });
    // With the issuing app's consumer key the pasted refresh token is used at once (one refresh).
    echoNext(app, '*', encoding);
    await fails('connect', { mode: 'manual', label: 'Pasted', crmType: 'Salesforce', instanceUrl: app.sandbox.urls.origin, accessToken: pasted.access, refreshToken: pasted.refresh, clientId: SAMPLE_CLIENT.clientId, clientSecret: SHORT_CLIENT_SECRET });
    echoNext(app, '*', encoding);
    await fails('updateTokens', internal.id, pasted.access, pasted.refresh);
    echoNext(app, 'sf.token', encoding);
    await fails('connect', { mode: 'external', label: 'Own app', crmType: 'Salesforce', loginHost: app.sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SHORT_CLIENT_SECRET, callbackPort: port });
  }
  app.sandbox.control.clearFaults();
  // The refused "update tokens" left their push pending: sent now, so each refresh below starts
  // with the health check (reading the application), whose answer echoes.
  expect(await callApi(page, 'refreshNow', internal.id)).toMatchObject({ ok: true });
  expect(app.core.settings.connection(internal.id)?.pushPending).toBe(false);

  // The command line, over the local API on the same core: its refresh fails the same way, and
  // every command's output (stdout and stderr) joins the scan. `key` prints only the key it was asked for.
  const socketPath = join(mkdtempSync(join(tmpdir(), 'd2c-leak-cli-')), 'run', 'local-api.sock');
  const localApi = await startLocalApiServer({ socketPath, ...createLocalApi({ appInfo: TEST_APP_INFO, app: app.core.app, logger: app.logger, face: 'app' }), logger: app.logger });
  const cli = (...args: string[]) => runCli(['--socket', socketPath, ...args]);
  const printed: string[] = [];
  // `watch` follows the failing refreshes below: the details it prints are where an echo would show.
  const watching = [startCli(['--socket', socketPath, 'watch']), startCli(['--socket', socketPath, 'watch', '--json'])];
  for (const w of watching) await expect.poll(() => w.stderr(), { timeout: 30_000 }).toContain('Watching for changes; Ctrl+C to stop.');
  for (const encoding of ['plain', 'url', 'base64'] as const) {
    // Every read of the application echoes while the command runs: a scheduled check that starts
    // meanwhile (a loaded machine) would otherwise take the one echo and the refresh succeed.
    echoNext(app, 'd2c.application.get', encoding, 100);
    const refreshed = await cli('refresh', 'Echo org');
    app.sandbox.control.clearFaults();
    expect(refreshed.code, refreshed.stderr).toBe(1);
    expect(refreshed.stderr).toContain('[redacted]');
    printed.push(refreshed.stdout, refreshed.stderr);
  }
  app.sandbox.control.clearFaults();
  // Both watchers saw the refused refresh change the connection's state (JSON lines carry its detail), then end on Ctrl+C.
  await expect.poll(() => watching.every((w) => w.stdout().includes('Echo org')), { timeout: 30_000 }).toBe(true);
  expect(watching[1]!.stdout()).toContain('[redacted]');
  for (const w of watching) {
    w.child.kill('SIGINT');
    expect(await w.ended).toBe(0);
    printed.push(w.stdout(), w.stderr());
  }
  for (const args of [['status'], ['status', '--json'], ['diagnostics'], ['refresh', '--all', '--json'], ['pause', '--for', '30m'], ['resume'], ['open', 'No such org']]) {
    const run = await cli(...args);
    printed.push(run.stdout, run.stderr);
  }
  // The file form of a hand-over prints its passphrase on purpose (alone on stdout); the sealed file and every line stay free of secrets.
  const sealedFile = join(mkdtempSync(join(tmpdir(), 'd2c-leak-handover-')), 'echo.d2ckeep');
  const sealed = await cli('handover', 'Echo org', '--out', sealedFile, '--name', 'keeper-1');
  expect(sealed.code, sealed.stderr).toBe(0);
  const cancelled = await cli('handover', 'Echo org', '--cancel');
  expect(cancelled.code, cancelled.stderr).toBe(0);
  printed.push(sealed.stdout, sealed.stderr, readFileSync(sealedFile, 'utf8'), cancelled.stdout, cancelled.stderr);
  expect(await cli('key', 'Echo org')).toEqual({ code: 0, stdout: `${internal.applicationKey}\n`, stderr: '' });
  await localApi!.close();

  // The servers really did throw the secrets back, short ones included.
  const echoed = new Set(app.sandbox.control.echoed());
  for (const seeded of [SHORT_KEY, SHORT_CLIENT_SECRET, pastedFor('url').access, pastedFor('base64').access]) expect(echoed, seeded).toContain(seeded);
  expect(failures.filter((m) => m.includes('[redacted]')).length).toBeGreaterThanOrEqual(10);

  await page.getByRole('tab', { name: 'Activity' }).click();
  await page.getByRole('button', { name: 'Export diagnostics…' }).click();
  await expect(page.getByText(/Saved to /)).toBeVisible();
  const screens = [await page.content()];
  await page.getByRole('tab', { name: 'Connections' }).click();
  screens.push(await page.content());

  // Failures are told together a moment after the first (keep-alive's coalescing window): wait for that notification.
  await expect.poll(() => app.notices.length, { timeout: 10_000 }).toBeGreaterThan(0);
  const secrets = new Set<string>([...echoed, SHORT_KEY, SHORT_CLIENT_SECRET, ...(['plain', 'url', 'base64'] as const).flatMap((e) => Object.values(pastedFor(e)))]);
  const stored = app.core.vault.secretsOf(internal.id)!;
  for (const value of [stored.accessToken, stored.refreshToken]) if (value) secrets.add(value);
  const places: Record<string, string> = {
    'IPC results': JSON.stringify(app.responses),
    'pushed events': JSON.stringify(app.events),
    screens: screens.join('\n'),
    'exported diagnostics': readFileSync(app.diagnosticsFiles[0]!, 'utf8'),
    'settings file': readFileSync(app.settingsPath, 'utf8'),
    'state database': app.stateText(),
    log: JSON.stringify(app.logger.lines),
    notifications: JSON.stringify(app.notices),
    'command line output': printed.join('\n'),
  };
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) for (const form of forms(secret)) expect(text.includes(form), `${place} contains a secret ending …${secret.slice(-3)} (as ${form === secret ? 'is' : 'encoded'})`).toBe(false);
  }
  // Not secrets: the connection id stays readable where it is shown.
  expect(places['exported diagnostics']).toContain(internal.id);
  expect(places['state database']).toContain(internal.id);
});
