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

  it('damaged metadata costs only the metadata, never the tokens', () => {
    const raw = JSON.stringify({ v: 1, accessToken: 'access-1', meta: { ...meta, mode: 'unknown', instanceUrl: 42 } });
    expect(decodeSecrets(raw)).toEqual({ accessToken: 'access-1' });
  });

  it('an entry without an access token is unreadable', () => {
    expect(decodeSecrets(JSON.stringify({ v: 1, meta }))).toBeNull();
    expect(decodeSecrets('not json')).toBeNull();
  });
});
