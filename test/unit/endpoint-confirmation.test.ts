import { describe, expect, it } from 'vitest';
import type { EndpointChange } from '../../main/core/ports.js';
import { createEndpointConfirmation, DECLINED_QUIET_MS, unconfirmedChanges } from '../../main/core/settings/endpoint-confirmation.js';
import { DEFAULT_ENDPOINTS } from '../../main/core/settings/endpoints.js';
import { defaultSettings } from '../../main/core/settings/schema.js';

const current = { ...defaultSettings(), endpoints: { data2crmApiBase: 'http://127.0.0.1:4517/v1', data2crmAuthBase: 'http://127.0.0.1:4517', salesforceLoginHost: 'http://127.0.0.1:4517' }, extraInstanceHosts: ['127.0.0.1:4517'] };

describe('which address changes need the user’s yes', () => {
  it('a new host for any of the three addresses, named by host', () => {
    expect(unconfirmedChanges(current, { endpoints: { data2crmApiBase: 'https://evil.example/v1', data2crmAuthBase: 'https://evil.example:8443', salesforceLoginHost: 'login.evil.example' } })).toEqual([
      { setting: 'Data2CRM API', host: 'evil.example', url: 'https://evil.example/v1' },
      { setting: 'Data2CRM sign-in', host: 'evil.example:8443', url: 'https://evil.example:8443' },
      { setting: 'Salesforce login', host: 'login.evil.example', url: 'https://login.evil.example' },
    ]);
  });

  it('not the current hosts (another path on them), the defaults, or Salesforce’s own domains', () => {
    expect(unconfirmedChanges(current, { endpoints: { data2crmApiBase: 'http://127.0.0.1:4517/v2', data2crmAuthBase: DEFAULT_ENDPOINTS.data2crmAuthBase, salesforceLoginHost: 'acme.my.salesforce.com' } })).toEqual([]);
    expect(unconfirmedChanges(current, { endpoints: { ...DEFAULT_ENDPOINTS }, connectionLoginHost: 'test.salesforce.com' })).toEqual([]);
  });

  it('a connection’s own login host and new extra instance hosts, but not look-alikes of Salesforce', () => {
    expect(unconfirmedChanges(current, { connectionLoginHost: 'salesforce.com.evil.example', extraInstanceHosts: ['127.0.0.1:4517', 'evil.example'] }).map((c) => [c.setting, c.host])).toEqual([
      ['Salesforce login', 'salesforce.com.evil.example'],
      ['Salesforce instance', 'evil.example'],
    ]);
  });

  it('names a new instance host by the address it is used at: http for the sandbox on loopback, https elsewhere', () => {
    const fresh = { ...defaultSettings(), extraInstanceHosts: [] };
    expect(unconfirmedChanges(fresh, { extraInstanceHosts: ['127.0.0.1:4517', 'localhost:4600', 'acme.example'] }).map((c) => c.url)).toEqual(['http://127.0.0.1:4517', 'http://localhost:4600', 'https://acme.example']);
  });
});

describe('asking', () => {
  const target = { endpoints: { data2crmApiBase: 'https://evil.example/v1' } };

  it('saves nothing without an explicit yes; a failing dialog is a no; one question at a time', async () => {
    const asked: Array<readonly EndpointChange[]> = [];
    let answer: (yes: boolean) => void = () => undefined;
    let now = 1_000_000;
    const gate = createEndpointConfirmation((changes) => (asked.push(changes), new Promise((r) => (answer = r))), () => current, () => now);
    const first = gate.approve(target);
    expect(await gate.approve(target)).toMatchObject({ ok: false, error: expect.stringContaining('waiting for your answer') });
    answer(false);
    expect(await first).toEqual({ ok: false, error: 'Not changed: you did not confirm the new address (evil.example). Nothing was sent there.' });
    now += DECLINED_QUIET_MS;
    const second = gate.approve(target);
    answer(true);
    expect(await second).toEqual({ ok: true, value: undefined });
    expect(asked).toHaveLength(2);
    const failing = createEndpointConfirmation(() => Promise.reject(new Error('no display')), () => current);
    expect(await failing.approve(target)).toMatchObject({ ok: false });
    expect(await failing.approve({ endpoints: { ...DEFAULT_ENDPOINTS } })).toEqual({ ok: true, value: undefined });
  });

  it('after a no, the same change is refused without a dialog for a minute; another change is asked at once (#22 item 10)', async () => {
    let now = 5_000_000;
    const asked: Array<readonly EndpointChange[]> = [];
    const gate = createEndpointConfirmation(async (changes) => (asked.push(changes), false), () => current, () => now);
    expect(await gate.approve(target)).toMatchObject({ ok: false, error: expect.stringContaining('you did not confirm') });
    for (let i = 0; i < 20; i++) {
      now += 2_000;
      expect(await gate.approve(target)).toEqual({ ok: false, error: 'Not changed: you declined evil.example less than a minute ago, so the app did not ask again. Nothing was sent there.' });
    }
    expect(asked).toHaveLength(1);
    expect(await gate.approve({ endpoints: { data2crmAuthBase: 'https://other.example' } })).toMatchObject({ ok: false, error: expect.stringContaining('you did not confirm') });
    expect(asked).toHaveLength(2);
    now += DECLINED_QUIET_MS;
    expect(await gate.approve(target)).toMatchObject({ ok: false, error: expect.stringContaining('you did not confirm') });
    expect(asked).toHaveLength(3);
  });

  it('a path changed each time is still the same change: one dialog, then quiet for the minute; another setting at that host is asked', async () => {
    let now = 5_000_000;
    const asked: Array<readonly EndpointChange[]> = [];
    const gate = createEndpointConfirmation(async (changes) => (asked.push(changes), false), () => current, () => now);
    for (let i = 1; i <= 20; i++) {
      now += 1_000;
      expect(await gate.approve({ endpoints: { data2crmApiBase: `https://evil.example/v${i}` } })).toMatchObject({ ok: false });
    }
    expect(asked).toHaveLength(1);
    expect(await gate.approve({ endpoints: { data2crmAuthBase: 'https://evil.example/sign-in' } })).toMatchObject({ ok: false, error: expect.stringContaining('you did not confirm') });
    expect(asked).toHaveLength(2);
  });
});
