import { describe, expect, it } from 'vitest';
import { decodeSecrets, encodeSecrets, type EntryMeta } from '../../main/core/secrets/connection-secrets.js';

const meta: EntryMeta = {
  label: 'Acme',
  mode: 'external',
  crmType: 'Salesforce',
  loginBaseUrl: 'https://login.salesforce.com',
  instanceUrl: 'https://acme.my.salesforce.com',
  orgId: '00D000000000001',
  userId: '005000000000001',
  username: 'a@acme.test',
  connectedApp: { clientId: '3MVG9-client', callbackPort: 1717 },
  applicationKey: null,
  createdAt: 1_700_000_000_000,
};

describe('a connection keychain entry', () => {
  it('keeps the tokens and the record metadata together', () => {
    const secrets = { accessToken: 'access-1', refreshToken: 'refresh-1', meta };
    expect(decodeSecrets(encodeSecrets(secrets))).toEqual(secrets);
  });

  it('reads an entry of an older version, without metadata', () => {
    expect(decodeSecrets(JSON.stringify({ v: 1, accessToken: 'access-1', refreshToken: 'refresh-1' }))).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  });

  it('damaged or overlong metadata costs only the metadata, never the tokens, and is marked (the entry is not recognized); the mark is never written', () => {
    for (const damaged of [{ ...meta, mode: 'unknown', instanceUrl: 42 }, { ...meta, instanceUrl: `https://acme.my.salesforce.com/${'x'.repeat(300)}` }]) {
      const decoded = decodeSecrets(JSON.stringify({ v: 1, accessToken: 'access-1', meta: damaged }));
      expect(decoded).toEqual({ accessToken: 'access-1', metaUnreadable: true });
      expect(JSON.parse(encodeSecrets(decoded!))).toEqual({ v: 1, accessToken: 'access-1' });
    }
  });

  it('an entry without an access token is unreadable', () => {
    expect(decodeSecrets(JSON.stringify({ v: 1, meta }))).toBeNull();
    expect(decodeSecrets('not json')).toBeNull();
  });
});
