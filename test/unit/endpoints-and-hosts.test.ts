import { describe, expect, it } from 'vitest';
import { isSalesforceHost, isTrustedSalesforceUrl, loginBaseUrl, parseBaseUrl } from '../../main/core/index.js';

describe('Salesforce hosts', () => {
  it.each(['login.salesforce.com', 'test.salesforce.com', 'acme.my.salesforce.com', 'acme--uat.sandbox.my.salesforce.com', 'na1.force.com', 'x.cloudforce.com', 'EU6.SALESFORCE.COM', 'x.salesforce.mil'])('accepts %s', (host) => {
    expect(isSalesforceHost(host)).toBe(true);
  });

  it.each(['evil-salesforce.com', 'salesforce.com.evil.net', 'salesforcexcom', 'force.co', 'localhost', ''])('refuses %s', (host) => {
    expect(isSalesforceHost(host)).toBe(false);
  });

  it('trusts https Salesforce URLs, and http only for configured loopback hosts', () => {
    expect(isTrustedSalesforceUrl('https://eu6.salesforce.com/')).toBe(true);
    expect(isTrustedSalesforceUrl('http://eu6.salesforce.com/')).toBe(false);
    expect(isTrustedSalesforceUrl('https://user:pw@eu6.salesforce.com/')).toBe(false);
    expect(isTrustedSalesforceUrl('http://127.0.0.1:4517', ['127.0.0.1:4517'])).toBe(true);
    expect(isTrustedSalesforceUrl('http://127.0.0.1:4518', ['127.0.0.1:4517'])).toBe(false);
    expect(isTrustedSalesforceUrl('http://sandbox.example:80', ['sandbox.example:80'])).toBe(false);
    expect(isTrustedSalesforceUrl('not a url')).toBe(false);
  });
});

describe('endpoint settings', () => {
  it('normalises base URLs and allows http only on loopback', () => {
    expect(parseBaseUrl('https://api-2445581398133.apicast.io:443/v1/')).toEqual({ ok: true, value: 'https://api-2445581398133.apicast.io/v1' });
    expect(parseBaseUrl('http://127.0.0.1:4517/v1')).toEqual({ ok: true, value: 'http://127.0.0.1:4517/v1' });
    expect(parseBaseUrl('http://api.example.com/v1')).toMatchObject({ ok: false, error: expect.stringContaining('https') });
    expect(parseBaseUrl('https://u:p@api.example.com')).toMatchObject({ ok: false });
    expect(parseBaseUrl('https://api.example.com/v1?x=1')).toMatchObject({ ok: false });
    expect(parseBaseUrl('api.example.com')).toMatchObject({ ok: false, error: expect.stringContaining('full URL') });
  });

  it('turns a login host into its base URL', () => {
    expect(loginBaseUrl('login.salesforce.com')).toEqual({ ok: true, value: 'https://login.salesforce.com' });
    expect(loginBaseUrl(' Acme.My.Salesforce.com ')).toEqual({ ok: true, value: 'https://acme.my.salesforce.com' });
    expect(loginBaseUrl('http://127.0.0.1:4517')).toEqual({ ok: true, value: 'http://127.0.0.1:4517' });
    expect(loginBaseUrl('login salesforce')).toMatchObject({ ok: false });
    expect(loginBaseUrl('https://login.salesforce.com/#x')).toMatchObject({ ok: false });
  });
});
