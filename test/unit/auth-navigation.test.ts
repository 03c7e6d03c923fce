import { describe, expect, it } from 'vitest';
import { authNavigationDecision } from '../../main/core/index.js';

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
