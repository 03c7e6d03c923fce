/**
 * Text from servers, through the whole core (composeCore over the real keychain, the real state
 * database and the sandbox): a failing answer whose message carries bidirectional controls and
 * held secrets in the forms a careless server writes them (wrapped over two lines, percent-escaped
 * in lower case, inside JSON with escaped slashes) reaches no state detail, notification, activity
 * row, state database, delta, IPC result, log line or diagnostics report as it was (#22 items 11, 12).
 */
import { expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import { SAMPLE_USER, SAMPLE_USER_KEY, type Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import { composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';
import { stateDbText } from '../support/state-db.js';

let sandbox: Sandbox;
let h: ConnectHarness;
let core: Core | undefined;
harnessPerTest(
  (parts) => {
    ({ sandbox, h } = parts);
    core = undefined;
  },
  { beforeCleanup: () => core?.keepAlive.stop() },
);

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const lowerPercent = (value: string) => encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/** A live access token with "/" and "+" in it, as Salesforce's may have (the sandbox's own are URL-safe). */
function slashedToken(): string {
  const user = sandbox.state.users.get(SAMPLE_USER.username)!;
  const token = `${user.orgId}!AQ/x+Zk9/${'Tq7w'.repeat(12)}+/e`;
  const issuedAt = sandbox.state.now();
  sandbox.state.accessTokens.set(token, { userId: user.userId, clientId: 'pasted', issuedAt, expiresAt: issuedAt + 3_600_000, revoked: false });
  return token;
}

it('bidirectional controls and held secrets in any form never leave the core from a server message', async () => {
  const token = slashedToken();
  const connected = await h.connections.connectManual({ label: 'Acme', crmType: 'Salesforce', instanceUrl: sandbox.urls.origin, accessToken: token });
  if (!connected.ok) throw new Error(connected.error.message);
  // Told at once: a problem is otherwise told after it has lasted half an hour.
  h.settings.update((s) => ({ ...s, refresh: { ...s.refresh, notifyAfterMs: 0 } }));
  const notices: Notice[] = [];
  core = await composeOverHarness(h, h.store, { notify: (notice) => notices.push(notice) });
  await core.secretsLoaded;
  const deltas: unknown[] = [];
  core.app.subscribe((delta) => deltas.push(delta));

  // The user key (which the request carried) wrapped over two lines; the pasted token (which it did not) percent-escaped in lower case and in JSON with escaped slashes.
  const message = `Rejected for \u202Egro.elcaro\u202C \u2066key\u2069 ${SAMPLE_USER_KEY.slice(0, 16)}\n   ${SAMPLE_USER_KEY.slice(16)} token=${lowerPercent(token)} echo {"access_token":"${token.replaceAll('/', '\\/')}"}`;
  sandbox.control.fault({ route: 'd2c.application.get', fault: { kind: 'status', status: 400, contentType: 'application/json', body: JSON.stringify({ type: 'about:blank', title: 'Bad', status: 400, detail: { code: 'BAD_REQUEST', message } }) } });
  const result = await core.app.refreshNow(connected.value.id);
  expect(result).toMatchObject({ ok: false, message: expect.stringContaining('Rejected for') });
  const record = core.settings.get().connections[0]!;
  core.app.flush();
  await expect.poll(() => notices.length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(record.statusDetail).toContain('gro.elcaro');
  h.commitState();

  const places: Record<string, string> = {
    'state detail': record.statusDetail ?? '',
    'IPC result': JSON.stringify(result),
    deltas: JSON.stringify(deltas),
    notifications: JSON.stringify(notices),
    activity: JSON.stringify(core.activity.entries()),
    'state database': stateDbText(h.statePath),
    diagnostics: core.app.diagnostics(),
    log: JSON.stringify(h.logger.lines),
  };
  const forms = (secret: string) => [secret, secret.slice(0, 16), secret.slice(16), encodeURIComponent(secret), lowerPercent(secret), secret.replaceAll('/', '\\/'), JSON.stringify(secret.replaceAll('/', '\\/')).slice(1, -1)];
  for (const [place, text] of Object.entries(places)) {
    expect(BIDI.test(text), `${place} carries a bidirectional control`).toBe(false);
    for (const secret of [SAMPLE_USER_KEY, token]) for (const form of forms(secret)) expect(text.includes(form), `${place} contains …${form.slice(-6)}`).toBe(false);
  }
  // What is no secret stays readable: the connection's name, its id, the words around the secrets.
  expect(places['diagnostics']).toContain(connected.value.id);
  expect(places['diagnostics']).toContain('"Acme"');
  expect(record.statusDetail).toMatch(/Rejected for gro\.elcaro key \[redacted\] token=\[redacted\] echo/);
}, 90_000);
