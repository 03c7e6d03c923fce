/** The OAuth 2.0 device flow against the sandbox over HTTP: the client, the runner and the sandbox's emulation. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../main/adapters/system-clock.js';
import { signInWithDevice, type DeviceCodePrompt } from '../../main/core/auth/device-sign-in.js';
import { SAMPLE_USER, startSandbox, type Sandbox } from '../sandbox/server.js';
import { sandboxOAuthClient } from '../support/sandbox-tokens.js';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
  sandbox.control.setDeviceInterval(1_000);
});
afterEach(() => sandbox.close());

/** What a person does on their phone: open the verification page and enter the code with their login. */
async function enterCode(prompt: DeviceCodePrompt, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await fetch(prompt.verificationUri);
  expect(page.status).toBe(200);
  const answer = await fetch(prompt.verificationUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: prompt.userCode, username: SAMPLE_USER.username, password: SAMPLE_USER.password, decision }),
  });
  return answer.text();
}

function promptOnce() {
  let resolve: (p: DeviceCodePrompt) => void = () => undefined;
  const prompted = new Promise<DeviceCodePrompt>((r) => (resolve = r));
  return { prompted, onPrompt: (p: DeviceCodePrompt) => resolve(p) };
}

describe('device flow', () => {
  it('shows a code and the verification address, polls until the user allows, then has tokens with a refresh token', async () => {
    const { prompted, onPrompt } = promptOnce();
    const signingIn = signInWithDevice(sandboxOAuthClient(sandbox, { clientSecret: undefined }), { clock: systemClock, onPrompt });
    const prompt = await prompted;
    expect(prompt.userCode).toMatch(/^[A-Z2-9]{8}$/);
    expect(prompt.verificationUri).toBe(`${sandbox.urls.origin}/setup/connect`);
    // The first polls find the code pending.
    await expect.poll(() => sandbox.control.requestLog().filter((r) => r.route === 'sf.token').length, { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await enterCode(prompt)).toContain('Allowed');
    const result = await signingIn;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.refreshToken).toBeTruthy();
    expect(sandbox.state.liveAccessToken(result.value.accessToken)).not.toBeNull();
    const answers = sandbox.control.requestLog().filter((r) => r.route === 'sf.token').map((r) => r.status);
    expect(answers.slice(1, -1).every((status) => status === 400)).toBe(true);
    expect(answers.at(-1)).toBe(200);
  });

  it('ends with "denied" when the user denies, and the code cannot be used again', async () => {
    const { prompted, onPrompt } = promptOnce();
    const signingIn = signInWithDevice(sandboxOAuthClient(sandbox), { clock: systemClock, onPrompt });
    const prompt = await prompted;
    expect(await enterCode(prompt, 'deny')).toContain('Denied');
    const result = await signingIn;
    expect(result).toMatchObject({ ok: false, error: { kind: 'denied' } });
    expect(sandbox.control.decideDeviceCode(prompt.userCode, { approveAs: SAMPLE_USER.username })).toBe(false);
  });

  it('a code approved on the control page works like one entered at the verification page', async () => {
    const { prompted, onPrompt } = promptOnce();
    const signingIn = signInWithDevice(sandboxOAuthClient(sandbox), { clock: systemClock, onPrompt });
    const prompt = await prompted;
    const page = await (await fetch(sandbox.urls.origin)).text();
    expect(page).toContain(`Approve ${prompt.userCode} as ${SAMPLE_USER.username}`);
    const done = await fetch(`${sandbox.urls.origin}/sandbox/control`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ action: 'device-approve', userCode: prompt.userCode }) });
    expect(done.headers.get('location')).toBe('/?done=device-approved');
    expect((await signingIn).ok).toBe(true);
  });

  it('polling faster than the interval is told to slow down, and the interval grows by 5 s (RFC 8628)', async () => {
    const client = sandboxOAuthClient(sandbox);
    const started = await client.beginDeviceAuthorization();
    if (!started.ok) throw new Error(started.error.message);
    expect(await client.pollDeviceToken(started.value.deviceCode)).toEqual({ ok: true, value: { kind: 'pending' } });
    expect(await client.pollDeviceToken(started.value.deviceCode)).toEqual({ ok: true, value: { kind: 'slow-down' } });
    expect(sandbox.state.devices.get(started.value.deviceCode)!.intervalMs).toBe(6_000);
  });

  it('an expired code ends the sign-in with a word to start again, and a wrong client id never starts one', async () => {
    const client = sandboxOAuthClient(sandbox);
    const started = await client.beginDeviceAuthorization();
    if (!started.ok) throw new Error(started.error.message);
    sandbox.control.setClockOffset(11 * 60_000);
    expect(await client.pollDeviceToken(started.value.deviceCode)).toEqual({ ok: true, value: { kind: 'expired' } });
    const wrong = await sandboxOAuthClient(sandbox, { clientId: 'no-such-app' }).beginDeviceAuthorization();
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
  });

  it('a verification address outside Salesforce’s hosts is refused before the user is sent there', async () => {
    const client = sandboxOAuthClient(sandbox, { extraHosts: [] });
    // Asked through another name for the same server, the address it names is not the login host.
    const other = sandboxOAuthClient(sandbox, { loginBaseUrl: sandbox.urls.salesforceLogin.replace('127.0.0.1', 'localhost'), extraHosts: [] });
    expect((await client.beginDeviceAuthorization()).ok).toBe(true);
    expect(await other.beginDeviceAuthorization()).toMatchObject({ ok: false, error: { kind: 'unexpected-response' } });
  });
});
