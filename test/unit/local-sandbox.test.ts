import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../main/core/settings/schema.js';
import { localSandboxFrom, withLocalSandbox } from '../../main/core/settings/local-sandbox.js';

describe('use a local sandbox', () => {
  it.each(['http://127.0.0.1:4517', 'http://127.0.0.1:4517/', '  127.0.0.1:4517 ', 'HTTP://127.0.0.1:4517'])('derives every address from %j', (address) => {
    const sandbox = localSandboxFrom(address);
    expect(sandbox).toEqual({ ok: true, value: { origin: 'http://127.0.0.1:4517', endpoints: { data2crmApiBase: 'http://127.0.0.1:4517/v1', data2crmAuthBase: 'http://127.0.0.1:4517', salesforceLoginHost: 'http://127.0.0.1:4517' }, instanceHosts: ['127.0.0.1:4517', 'localhost:4517'] } });
  });

  it('accepts localhost and trusts its host under both loopback names (one listener: an instance move the sandbox stages stays on it)', () => {
    const sandbox = localSandboxFrom('http://localhost:9000');
    expect(sandbox.ok && sandbox.value.instanceHosts).toEqual(['localhost:9000', '127.0.0.1:9000']);
    const v6 = localSandboxFrom('http://[::1]:9000');
    expect(v6.ok && v6.value.instanceHosts).toEqual(['[::1]:9000']);
  });

  it.each([
    ['https://sandbox.example.com', /on this computer only: use 127\.0\.0\.1 or localhost, not sandbox\.example\.com/],
    ['http://127.0.0.1:4517/v1', /without a path, query or fragment/],
    ['http://127.0.0.1:4517/?x=1', /without a path, query or fragment/],
    ['http://user:pw@127.0.0.1:4517', /without a path, query or fragment/],
    ['ftp://127.0.0.1:4517', /the address that “npm run sandbox” prints/],
    ['http://', /the address that “npm run sandbox” prints/],
  ])('refuses %j with a plain reason', (address, reason) => {
    const sandbox = localSandboxFrom(address);
    expect(sandbox.ok).toBe(false);
    if (!sandbox.ok) expect(sandbox.error).toMatch(reason);
  });

  it('changes the addresses and the trusted host together, and nothing else', () => {
    const before = { ...defaultSettings(), extraInstanceHosts: ['old.example:1'] };
    const sandbox = localSandboxFrom('http://127.0.0.1:4517');
    if (!sandbox.ok) throw new Error(sandbox.error);
    const after = withLocalSandbox(before, sandbox.value);
    expect(after).toEqual({ ...before, endpoints: sandbox.value.endpoints, extraInstanceHosts: ['127.0.0.1:4517', 'localhost:4517'] });
  });
});
