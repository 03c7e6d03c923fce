/**
 * The real `data2crm-tray` command (a child process running the built bundle) against the app's
 * composition root under the Electron stand-in, over the app's own Unix socket in this run's
 * $XDG_RUNTIME_DIR: every command, its human and JSON output, its exit code.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { signInHeadless } from '../sandbox/headless-sign-in.js';
import { SCENARIOS } from '../support/app-scenarios.js';
import { schemaErrors } from '../support/cli-schemas.js';
import { CALLBACK, externalTokens, sandboxOAuthClient } from '../support/sandbox-tokens.js';
import { storedConnections } from '../support/state-db.js';
import { callApi, connectWithTokens, expect, test, type ShellApp } from './shell-app.js';

const keyOf = (shell: ShellApp, id: string) => String(storedConnections(shell.statePath()).find((c) => c['id'] === id)!['applicationKey']);

/** The settings window of a first start, with the sandbox's user key saved. */
async function ready(shell: ShellApp): Promise<Page> {
  await shell.launch();
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  return page;
}

/** A connection of another Salesforce user in another org (the sample user is in 00DSBX…1). */
async function connectOtherUser(shell: ShellApp, page: Page, label: string): Promise<string> {
  shell.sandbox.control.addUser({ username: 'ops@globex.example', password: 'globex-password', userId: '005GLX000000002', orgId: '00DGLX000000002', displayName: 'Ops' });
  const client = sandboxOAuthClient(shell.sandbox);
  const pending = client.beginAuthorization(CALLBACK);
  const { location } = await signInHeadless(pending.url, { username: 'ops@globex.example', password: 'globex-password' });
  const tokens = await client.exchangeCode(new URL(location).searchParams.get('code')!, pending);
  if (!tokens.ok) throw new Error(tokens.error.message);
  const result = await callApi<{ ok: boolean }>(page, 'connect', { mode: 'manual', label, crmType: 'Salesforce', instanceUrl: tokens.value.instanceUrl, accessToken: tokens.value.accessToken });
  expect(result).toMatchObject({ ok: true });
  return String(storedConnections(shell.statePath()).find((c) => c['label'] === label)!['id']);
}

test(SCENARIOS.commandLineStatus, async ({ shell }) => {
  const page = await ready(shell);
  const empty = await shell.cli(['status']);
  expect(empty).toMatchObject({ code: 0, stderr: '' });
  expect(empty.stdout).toContain('No connections yet: `data2crm-tray connect` opens the connect wizard.');

  const id = await connectWithTokens(shell, page, 'Acme Prod');
  const human = await shell.cli(['status']);
  expect(human).toMatchObject({ code: 0, stderr: '' });
  const [head, blank, header, row] = human.stdout.split('\n');
  expect(head).toBe('Data2CRM Tray 0.1.0 · 1 connection · all healthy');
  expect(blank).toBe('');
  expect(header).toMatch(/^NAME\s+MODE\s+USER\s+INSTANCE\s+STATE\s+NEXT RENEWAL$/);
  expect(row).toMatch(new RegExp(`^Acme Prod\\s+pasted\\s+demo@sandbox\\.example\\s+${new URL(shell.sandbox.urls.origin).host.replace(/\./g, '\\.')}\\s+healthy · (verified (just now|\\d+ min ago)|token expires in \\d+ h( \\d+ min)?)\\s+—$`));
  // The tray says the same words for it.
  await expect.poll(() => shell.standIn.tray().menu!.items.map((i) => i.label)).toContainEqual(expect.stringMatching(/^Acme Prod — healthy · (verified|token expires)/));

  const asJson = await shell.cli(['status', '--json']);
  expect(asJson).toMatchObject({ code: 0, stderr: '' });
  const status = JSON.parse(asJson.stdout);
  expect(schemaErrors('status', status)).toEqual([]);
  expect(status).toMatchObject({
    schemaVersion: 1,
    app: { name: 'Data2CRM Tray', version: '0.1.0', status: 'ok', needsYou: false, paused: false, userKeyRejected: false, storage: 'keychain' },
    connections: [{ id, name: 'Acme Prod', mode: 'manual', username: 'demo@sandbox.example', orgId: '00DSBX000000001', state: 'healthy', needsYou: false, renewedBy: 'nobody', applicationKeyFingerprint: `…${keyOf(shell, id).slice(-4)}` }],
  });
  expect(Date.parse(status.connections[0].lastVerifiedAt)).toBeGreaterThan(Date.now() - 5 * 60_000);

  // Deleted in Data2CRM: the refresh says so (exit 1) and from then on status exits 1.
  shell.sandbox.state.applications.clear();
  const refreshed = await shell.cli(['refresh', 'Acme Prod']);
  expect(refreshed.code).toBe(1);
  expect(refreshed.stdout).toBe('');
  expect(refreshed.stderr.trim().split('\n')).toHaveLength(1);
  expect(refreshed.stderr).toMatch(/^data2crm-tray: Acme Prod: .*Data2CRM/);
  const needsYou = await shell.cli(['status', '--json']);
  expect(needsYou.code).toBe(1);
  const after = JSON.parse(needsYou.stdout);
  expect(schemaErrors('status', after)).toEqual([]);
  expect(after).toMatchObject({ app: { needsYou: true, status: 'error' }, connections: [{ id, state: 'application-deleted', needsYou: true, stateLine: 'deleted in Data2CRM' }] });
  expect((await shell.cli(['status'])).code).toBe(1);
});

test(SCENARIOS.commandLineActions, async ({ shell }) => {
  const page = await ready(shell);
  const id = await connectWithTokens(shell, page, 'Acme');

  // key: the key and a newline, nothing else, as $(…) needs it.
  expect(await shell.cli(['key', 'Acme'])).toEqual({ code: 0, stdout: `${keyOf(shell, id)}\n`, stderr: '' });

  expect(await shell.cli(['refresh', 'Acme'])).toEqual({ code: 0, stdout: 'Acme: Refreshed and verified.\n', stderr: '' });
  const all = await shell.cli(['refresh', '--all', '--json']);
  expect(all.code).toBe(0);
  expect(JSON.parse(all.stdout)).toEqual({ schemaVersion: 1, results: [{ id, name: 'Acme', ok: true, message: 'Refreshed and verified.' }] });

  // pause --for: the tray shows it paused, as its own "Pause for 1 hour" does; resume ends it.
  expect(await shell.cli(['pause', '--for', '1h'])).toEqual({ code: 0, stdout: 'Automatic refresh is paused for 1 h.\n', stderr: '' });
  await expect.poll(() => shell.standIn.tray().image.path).toMatch(/paused\.png$/);
  expect(JSON.parse((await shell.cli(['status', '--json'])).stdout)).toMatchObject({ app: { paused: true, status: 'paused' } });
  expect(await shell.cli(['resume'])).toEqual({ code: 0, stdout: 'Automatic refresh is on again.\n', stderr: '' });
  await expect.poll(() => shell.standIn.tray().image.path).not.toMatch(/paused\.png$/);

  // open: the org in the browser (the stand-in records what shell.openExternal got).
  expect(await shell.cli(['open', 'Acme'])).toEqual({ code: 0, stdout: 'Opened in your browser.\n', stderr: '' });
  expect(shell.standIn.records.openedExternally.map((url) => new URL(url).origin)).toContain(new URL(shell.sandbox.urls.origin).origin);

  // connect: the app shows its connect wizard.
  (await shell.window('/settings')).window.close();
  expect(await shell.cli(['connect'])).toEqual({ code: 0, stdout: 'The connect wizard is open in Data2CRM Tray.\n', stderr: '' });
  // The settings window shows again with its wizard open (the window may drop "/connect" from its address once the wizard shows).
  const settingsWindow = () => shell.standIn.windows.find((w) => w.isVisible() && /#\/settings(\/connect)?$/.test(w.webContents.getURL()));
  await expect.poll(() => settingsWindow() !== undefined, { timeout: 20_000 }).toBe(true);
  const wizard = await settingsWindow()!.webContents.page;
  await expect(wizard.getByRole('form', { name: 'Connect a Salesforce org' })).toBeVisible();

  // diagnostics: the redacted report, to stdout or to a new file only the user can read.
  const report = await shell.cli(['diagnostics']);
  expect(report.code).toBe(0);
  expect(JSON.parse(report.stdout)).toMatchObject({ app: { name: 'Data2CRM Tray' }, connections: [{ id, label: 'Acme' }] });
  const out = join(shell.userData, 'diagnostics.json');
  expect(await shell.cli(['diagnostics', '--out', out])).toEqual({ code: 0, stdout: `Saved to ${out}.\n`, stderr: '' });
  expect(statSync(out).mode & 0o777).toBe(0o600);
  const again = await shell.cli(['diagnostics', '--out', out]);
  expect(again).toMatchObject({ code: 3, stdout: '' });
  expect(again.stderr).toContain(`${out} already exists`);

  // No output carried a token or the user key (every output passes the app's redactor; the leak
  // scan in test/ui also makes servers echo secrets into the messages the command line prints).
  const secrets = [...shell.sandbox.state.accessTokens.keys(), ...shell.sandbox.state.refreshTokens.keys(), ...shell.sandbox.state.userKeys];
  const printed = [report.stdout, (await shell.cli(['status', '--json'])).stdout, (await shell.cli(['status'])).stdout].join('\n');
  for (const secret of secrets) expect(printed.includes(secret), `a secret ending …${secret.slice(-4)}`).toBe(false);
});

test(SCENARIOS.commandLineNames, async ({ shell }) => {
  const page = await ready(shell);
  const first = await connectWithTokens(shell, page, 'Acme');
  // A second connection of the same name (and the same user and org).
  const tokens = await externalTokens(shell.sandbox);
  expect(await callApi(page, 'connect', { mode: 'manual', label: 'Acme', crmType: 'Salesforce', instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken })).toMatchObject({ ok: true });
  const second = String(storedConnections(shell.statePath()).filter((c) => c['label'] === 'Acme').find((c) => c['id'] !== first)!['id']);
  const globex = await connectOtherUser(shell, page, 'Globex');

  for (const ambiguous of ['acme', 'demo@sandbox.example', '00DSBX000000001']) {
    const run = await shell.cli(['key', ambiguous]);
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`matches 2 connections: Acme (id ${first.slice(0, 8)}, demo@sandbox.example); Acme (id ${second.slice(0, 8)}`);
  }
  const unknown = await shell.cli(['refresh', 'initech']);
  expect(unknown).toMatchObject({ code: 3, stdout: '' });
  expect(unknown.stderr).toMatch(/^data2crm-tray: No connection matches “initech”\. Connections: Acme \(id .+\); Acme \(id .+\); Globex \(id .+, ops@globex\.example\)\. Run `data2crm-tray --help` for the commands\.\n$/);

  for (const name of ['Globex', 'GLOBEX', globex, globex.slice(0, 8), 'ops@globex.example', '00DGLX000000002']) expect(await shell.cli(['key', name]), name).toEqual({ code: 0, stdout: `${keyOf(shell, globex)}\n`, stderr: '' });
  expect(await shell.cli(['key', second.slice(0, 8)])).toEqual({ code: 0, stdout: `${keyOf(shell, second)}\n`, stderr: '' });
});

test(SCENARIOS.commandLineTwoAtOnce, async ({ shell }) => {
  const page = await ready(shell);
  const acme = await connectWithTokens(shell, page, 'Acme');
  const globex = await connectOtherUser(shell, page, 'Globex');
  const [refreshed, status, key] = await Promise.all([shell.cli(['refresh', '--all']), shell.cli(['status', '--json']), shell.cli(['key', 'Globex'])]);
  expect(refreshed.code).toBe(0);
  expect(refreshed.stdout.split('\n').filter(Boolean).sort()).toEqual(['Acme: Refreshed and verified.', 'Globex: Refreshed and verified.']);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout).connections.map((c: { id: string }) => c.id).sort()).toEqual([acme, globex].sort());
  expect(key).toEqual({ code: 0, stdout: `${keyOf(shell, globex)}\n`, stderr: '' });
});
