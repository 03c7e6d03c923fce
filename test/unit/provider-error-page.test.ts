import { describe, expect, it } from 'vitest';
import { providerErrorPage } from '../../main/core/auth/provider-error-page.js';

const START = 'https://login.salesforce.com/services/oauth2/authorize?client_id=x';
const CALLBACK = 'http://127.0.0.1:1717/callback';

describe("Salesforce's error pages in the sign-in window", () => {
  it('names a wrong consumer key and an unlisted callback URL', () => {
    expect(providerErrorPage({ url: START, status: 400, text: 'error=invalid_client_id&error_description=client%20identifier%20invalid' }, START, CALLBACK)).toMatchObject({ field: 'clientId', message: expect.stringMatching(/^Salesforce does not know this consumer key/) });
    expect(providerErrorPage({ url: START, status: 400, text: 'error=redirect_uri_mismatch' }, START, CALLBACK)).toMatchObject({ field: 'callback', message: expect.stringContaining(`Your app does not list this callback URL: ${CALLBACK}. Add it`) });
  });

  it('names the setting an app set up wrong needs, under the field that fixes it (External Client Apps first)', () => {
    const scopes = providerErrorPage({ url: 'https://acme.my.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=invalid_scope&error_description=the%20requested%20scope%20is%20not%20allowed', status: 200, text: '' }, START, CALLBACK);
    expect(scopes).toMatchObject({ field: 'clientId', message: expect.stringContaining('“Perform requests at any time (refresh_token, offline_access)”') });
    expect(scopes?.message).toContain('External Client App Manager');
    const pkce = providerErrorPage({ url: START, status: 400, text: 'error=invalid_request&error_description=missing%20required%20code%20challenge' }, START, CALLBACK);
    expect(pkce).toMatchObject({ field: 'clientId', message: expect.stringContaining('Require Proof Key for Code Exchange (PKCE)') });
    // An error code nobody set up wrong is named, not explained.
    expect(providerErrorPage({ url: START, status: 400, text: 'error=invalid_request&error_description=something%20else' }, START, CALLBACK)).toEqual({ message: expect.stringContaining('(invalid_request)') });
  });

  it('takes any 400 on the authorize address, or error= in a Salesforce URL, as a refusal', () => {
    expect(providerErrorPage({ url: START, status: 400, text: '' }, START, CALLBACK)?.message).toMatch(/refused the sign-in request before its login page/);
    expect(providerErrorPage({ url: 'https://acme.my.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=OAUTH_APP_BLOCKED', status: 200, text: '' }, START, CALLBACK)?.message).toContain('(OAUTH_APP_BLOCKED)');
  });

  it('leaves login pages and other sites alone', () => {
    expect(providerErrorPage({ url: START, status: 200, text: '' }, START, CALLBACK)).toBeNull();
    expect(providerErrorPage({ url: 'https://idp.example.com/login?error=x', status: 400, text: 'error=invalid_client_id' }, START, CALLBACK)).toBeNull();
    expect(providerErrorPage({ url: 'not a url', status: 400, text: '' }, START, CALLBACK)).toBeNull();
  });
});
