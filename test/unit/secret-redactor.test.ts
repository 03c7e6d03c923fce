import { describe, expect, it } from 'vitest';
import { REDACTED, redactText } from '../../main/core/redact.js';
import { createSecretRedactor, redactValues, rememberSecret } from '../../main/core/secret-redactor.js';
import { feedRedactor } from '../../main/core/secrets/feed-redactor.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';

const userKey = 'u5Er-k3y';
const access = '00D5g000004ABCD!ARQAQK9x8fJ2mV7yYqLkC0jPzQe';

describe('redaction by value', () => {
  it('removes a short held secret as is, URL-encoded and inside base64, wherever it stands', () => {
    const r = createSecretRedactor();
    r.hold('data2crm-user-key', [userKey]);
    r.hold('connection:a', [access, 'ref/resh+tok=']);
    const basic = Buffer.from(`client-id:${userKey}`).toString('base64');
    const text = `key ${userKey}, form ${encodeURIComponent(access)} ${new URLSearchParams({ v: access }).toString().slice(2)}, basic ${basic}, url-safe ${Buffer.from(`x${userKey}`).toString('base64url')}, ${encodeURIComponent('ref/resh+tok=')}`;
    const out = r.text(text);
    for (const leaked of [userKey, access, encodeURIComponent(access), basic, 'ref%2Fresh']) expect(out).not.toContain(leaked);
    expect(out.match(/\[redacted\]/g)).toHaveLength(6);
    expect(out).toMatch(/^key \[redacted\], form /);
  });

  it('tells apart thousands of tokens sharing one org-id prefix, and leaves the org id itself alone', () => {
    const r = createSecretRedactor();
    const orgId = '00D5g000009WXYZ';
    const tokens = Array.from({ length: 2_000 }, (_, i) => `${orgId}!AR${String(i).padStart(6, '0')}QK9x8fJ2mV7yYqLkC0jPzQe`);
    tokens.forEach((token, i) => r.hold(`connection:many-${i}`, [token, `5Aep861${String(i).padStart(6, '0')}TzXqWvUtSrQpOnMlKjIhGfEd`]));
    const one = tokens[1234]!;
    expect(r.text(`org ${orgId} token ${one} encoded ${encodeURIComponent(one)}`)).toBe(`org ${orgId} token ${REDACTED} encoded ${REDACTED}`);
    // A value that is not held passes the value rule (outside free text, no pattern net).
    const other = { label: `${orgId}!AR999999QK9x8fJ2mV7yYqLkC0jPzQe` };
    expect(r.outbound(other)).toEqual(other);
    tokens.forEach((_, i) => r.hold(`connection:many-${i}`, []));
  });

  it('tells apart thousands of short keys sharing their first ten characters; of two that start alike, the longer is removed whole', () => {
    const r = createSecretRedactor();
    const keys = Array.from({ length: 5_000 }, (_, i) => `app_bench_${i}_k3y`);
    keys.forEach((key, i) => r.hold(`application:${i}`, [key]));
    r.hold('application:longer', ['app_bench_42_k3y_and_more']);
    expect(r.text(`a ${keys[4321]} b ${keys[42]}_and_more c app_bench_ d app_bench_99999_k3y`)).toBe(`a ${REDACTED} b ${REDACTED} c app_bench_ d app_bench_99999_k3y`);
    keys.forEach((_, i) => r.hold(`application:${i}`, []));
    r.hold('application:longer', []);
  });

  it('its cheap filters never skip a match: a secret starting outside Latin-1, one of six characters, one in base64 next to longer ones', () => {
    const r = createSecretRedactor();
    r.hold('connection:filters', ['ключ-секрет-42', 'abc123', 'L0ng-Secr3t-Value-For-Filters-0123456789']);
    expect(r.text('a ключ-секрет-42 b')).toBe(`a ${REDACTED} b`);
    expect(r.outbound({ label: 'xxabc123yy' })).toEqual({ label: `xx${REDACTED}yy` });
    const basic = Buffer.from('id:abc123').toString('base64');
    expect(r.outbound({ label: `basic ${basic}` })).toEqual({ label: `basic ${REDACTED}` });
    // Text shorter than every held form is returned as it is.
    expect(r.outbound({ label: 'abc12' })).toEqual({ label: 'abc12' });
    r.hold('connection:filters', []);
  });

  it('finds a secret in the form encoding exactly as URLSearchParams writes it, whatever its characters', () => {
    const r = createSecretRedactor();
    const secrets = ["a b!c~d*e(f)g'h", 'ключ ü/+=&?#%', '00D5g!AR.x_y-z', 'tab\there~(x)'];
    r.hold('connection:forms', secrets);
    for (const secret of secrets) {
      const form = new URLSearchParams({ v: secret }).toString().slice(2);
      expect(r.text(`body=${form}&next=1`)).toBe(`body=${REDACTED}&next=1`);
    }
    r.hold('connection:forms', []);
  });

  it('keeps connection ids, fingerprints, URLs and labels readable', () => {
    const r = createSecretRedactor();
    r.hold('connection:b', ['s3cr3t-value']);
    const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
    const view = { id, label: 'Acme production', instanceUrl: 'https://acme--fullcopy.sandbox.my.salesforce.com', applicationKeyFingerprint: '…a1b2', statusDetail: `failed for ${id} with s3cr3t-value`, hasRefreshToken: true };
    expect(r.outbound(view)).toEqual({ ...view, statusDetail: `failed for ${id} with ${REDACTED}` });
    expect(redactText(`connection ${id} id=${id}`)).toBe(`connection ${id} id=${id}`);
  });

  it('the shape rule is a second net for token shapes only: paths, hosts and ids of any length stay', () => {
    const r = createSecretRedactor();
    const access = `00D5g000009WXYZ!AR${'Zq9'.repeat(12)}`;
    const refresh = `5Aep861${'Tz_x'.repeat(12)}`;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(r.outbound({ message: `echo ${access} ${refresh} ${jwt} Authorization: Bearer abc.def-ghi_jkl`, label: 'fine' })).toEqual({ message: 'echo [redacted] [redacted] [redacted] Authorization: Bearer [redacted]', label: 'fine' });
    const identifiers = [
      'Saved to /home/jane.doe/Documents/data2crm-tray-diagnostics-2026-05-01T10-00-00.json.',
      "Can't find the server api-2445581398133.apicast.io-gateway.eu-central.example.com. Check the address.",
      'Org 00D5g000004XyzAEAC, user 0055g00000AbCdEFGH, jane.doe@acme-corporation-europe.example.com',
      'https://acme-corporation-europe--fullcopy.sandbox.my.salesforce.com/services/data/v62.0',
      `Opened ${'Zq9'.repeat(15)}`,
    ];
    for (const text of identifiers) expect(r.outbound({ message: text, statusDetail: text, detail: text })).toEqual({ message: text, statusDetail: text, detail: text });
  });

  it('finds a held secret percent-escaped in lower case, with JSON-escaped slashes, and wrapped over two lines (#22 item 12)', () => {
    const r = createSecretRedactor();
    const key = 'k3Y/a+b=Zx9wQ7vR2mT5nP8sL4cD6fG1';
    expect(key).toHaveLength(32);
    r.hold('connection:forms-12', [key]);
    const lower = encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
    const mixed = 'k3Y%2fa%2Bb%3dZx9wQ7vR2mT5nP8sL4cD6fG1';
    const json = JSON.stringify({ key }).replaceAll('/', '\\/');
    expect(json).toContain('k3Y\\/a+b');
    for (const wrapped of [`${key.slice(0, 16)}\n${key.slice(16)}`, `${key.slice(0, 16)}\r\n    ${key.slice(16)}`, `${key.slice(0, 16)} \\n${key.slice(16)}`]) {
      expect(r.text(`Rejected key: ${wrapped} (see log)`)).toBe('Rejected key: [redacted] (see log)');
    }
    expect(r.text(`in url ?k=${lower}&x=1`)).toBe('in url ?k=[redacted]&x=1');
    expect(r.text(`mixed ${mixed}.`)).toBe('mixed [redacted].');
    expect(r.text(`body ${json}`)).toBe('body {"key":"[redacted]"}');
    // Inside base64 of JSON with escaped slashes, and JSON-escaped base64 of it.
    const b64 = Buffer.from(json).toString('base64');
    expect(r.text(`b ${b64} / ${b64.replaceAll('/', '\\/')}`)).toBe('b [redacted] / [redacted]');
    // Undoing the encodings finds secrets, it never rewrites the rest of the text.
    const untouched = 'C:\\new\\file 100% done\nnext line %zz \\u12';
    expect(r.text(untouched)).toBe(untouched);
    r.hold('connection:forms-12', []);
  });

  it('values a request carried are removed from its answer only, and never remembered', () => {
    const r = createSecretRedactor();
    const pasted = '00D5g000004XyzAEAC';
    const answer = JSON.stringify({ message: `Bad token ${pasted} for ${encodeURIComponent('jane doe').toLowerCase()}`, echo: Buffer.from(`Bearer ${pasted}`).toString('base64') });
    expect(JSON.parse(redactValues(answer, [pasted, 'jane doe', 'short', null]))).toEqual({ message: 'Bad token [redacted] for [redacted]', echo: '[redacted]' });
    // Not held: the same value elsewhere is an identifier like any other.
    expect(r.outbound({ orgId: pasted, message: `Org ${pasted}` })).toEqual({ orgId: pasted, message: `Org ${pasted}` });
  });

  it('learns stored secrets from the store, and remembers a replaced token', async () => {
    const r = createSecretRedactor();
    const store = feedRedactor(createMemorySecretStore(), r);
    await store.set('connection:c', JSON.stringify({ v: 1, accessToken: 'first-token-1', refreshToken: 'refresh-tok-1' }));
    await store.set('connection:c', JSON.stringify({ v: 1, accessToken: 'second-token-2', refreshToken: 'refresh-tok-1' }));
    expect(r.text('first-token-1 second-token-2 refresh-tok-1')).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
    await store.set('data2crm-user-key', 'plainkey99');
    expect(r.text('plainkey99')).toBe(REDACTED);
  });

  it('remembers short-lived secrets (verifiers, codes) and ignores trivially short ones', () => {
    const r = createSecretRedactor();
    rememberSecret('pkce-verifier-xyz');
    rememberSecret('abc');
    expect(r.text('pkce-verifier-xyz abc')).toBe(`${REDACTED} abc`);
  });

  it('log fields: value rule, then the field-name rule', () => {
    const r = createSecretRedactor();
    r.hold('connection:d', ['in-a-field-9']);
    expect(r.fields({ note: 'has in-a-field-9', accessToken: 'x', error: new Error('in-a-field-9 broke') })).toEqual({ note: `has ${REDACTED}`, accessToken: REDACTED, error: { name: 'Error', message: `${REDACTED} broke` } });
  });
});
