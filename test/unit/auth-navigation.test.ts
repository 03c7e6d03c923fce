import { describe, expect, it } from 'vitest';
import { authNavigationDecision, defaultSettings } from '../../main/core/index.js';
import { authWindowNavigation } from '../../main/core/auth/navigation-policy.js';
import { CUSTOM_SCHEME_CALLBACK, HTTPS_CALLBACK } from '../../shared/callback-urls.js';

const options = { redirectUri: 'http://127.0.0.1:53123/callback', signInOrigins: ['https://api.api2crm.com', 'https://login.salesforce.com', 'http://127.0.0.1:4517'] };

describe('auth window navigation (reliability case 7)', () => {
  it('captures the redirect, with its hash, instead of loading it', () => {
    expect(authNavigationDecision('http://127.0.0.1:53123/callback?state=x#access_token=y', options)).toBe('capture');
  });

  it.each([
    'https://api.api2crm.com/authorization/oauth/Salesforce/authorize?redirect=x',
    'https://login.salesforce.com/?ec=302',
    'https://acme.my.salesforce.com/secur/frontdoor.jsp',
    'https://acme--uat.sandbox.my.salesforce.com/',
    'http://127.0.0.1:4517/authorization/oauth/Salesforce/authorize',
  ])('allows the sign-in page %s', (url) => {
    expect(authNavigationDecision(url, options)).toBe('allow');
  });

  it.each([
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'vbscript:msgbox',
    'ms-settings:privacy',
    'http://login.salesforce.com/',
    'https://evil.example/phish',
    'https://login.salesforce.com.evil.example/',
    'https://user@login.salesforce.com/',
    'http://127.0.0.1:53124/callback',
    'not a url',
  ])('blocks %s', (url) => {
    expect(authNavigationDecision(url, options)).toBe('block');
  });
});

describe('auth window navigation under the settings', () => {
  const settings = { ...defaultSettings(), endpoints: { data2crmApiBase: 'http://127.0.0.1:4517/v1', data2crmAuthBase: 'http://127.0.0.1:4517', salesforceLoginHost: 'acme.my.salesforce.com' }, extraInstanceHosts: ['127.0.0.1:4517'] };
  const decide = authWindowNavigation(() => settings);

  it('allows the configured sign-in hosts and Salesforce, blocks the rest', () => {
    expect(decide('http://127.0.0.1:4517/authorization/oauth/Salesforce/authorize?redirect=x')).toBe('allow');
    expect(decide('https://acme.my.salesforce.com/')).toBe('allow');
    expect(decide('https://login.salesforce.com/')).toBe('allow');
    expect(decide('http://127.0.0.1:9999/other')).toBe('block');
    expect(decide('javascript:alert(1)')).toBe('block');
  });

  it('blocks a forged redirect to the loopback callback, which the sign-in did not capture', () => {
    expect(decide('http://127.0.0.1:53117/callback?state=guess#access_token=x')).toBe('block');
  });
});

describe('callbacks only the sign-in window catches (issue #25 item 16)', () => {
  it('the app link and the https callback are caught when they are the pending redirect, and never loaded otherwise', () => {
    const origins = ['https://127.0.0.1', 'https://login.salesforce.com'];
    for (const callback of [CUSTOM_SCHEME_CALLBACK, HTTPS_CALLBACK]) {
      expect(authNavigationDecision(`${callback}?code=abc&state=s`, { redirectUri: callback, signInOrigins: origins })).toBe('capture');
      // Not this sign-in's redirect: blocked even where its origin would load.
      expect(authNavigationDecision(`${callback}?code=abc&state=s`, { signInOrigins: origins })).toBe('block');
    }
    expect(authNavigationDecision('https://127.0.0.1/another/page', { signInOrigins: origins })).toBe('allow');
  });
});
