/**
 * Salesforce's answers to a sign-in through an own app that is set up wrong, and the wizard field
 * that fixes each: the consumer key (unknown app, scopes missing, no refresh token), the consumer
 * secret (the app wants its secret because PKCE is not enabled, or the secret is wrong), the
 * callback (not one the app lists). The same words whether Salesforce said it on its authorize
 * page, in the redirect, or at the token endpoint. Setup paths name External Client Apps (every
 * org since Spring '26) and, for orgs that still have them, Connected Apps.
 */
export type SetupField = 'clientId' | 'clientSecret' | 'callback';

export interface SetupProblem {
  readonly field: SetupField;
  readonly message: string;
}

export interface SignInSetup {
  /** The exact callback URL this sign-in sent. */
  readonly callbackUrl: string;
  /** Whether a consumer secret was given. */
  readonly withSecret: boolean;
}

const OAUTH_SETTINGS = 'Setup → External Client App Manager → your app → Settings → OAuth Settings (a Connected App: Setup → App Manager → your app → Edit)';
const SCOPES = '“Manage user data via APIs (api)” and “Perform requests at any time (refresh_token, offline_access)”';
const NOTHING = 'Nothing was stored.';

export function unknownConsumerKey(): SetupProblem {
  return { field: 'clientId', message: `Salesforce does not know this consumer key. Copy it again from Setup → External Client App Manager → your app → Settings → OAuth Settings → Consumer Key and Secret (a Connected App: Setup → App Manager → your app → View), and check that you chose the right place to sign in (Production, Sandbox or My Domain). ${NOTHING}` };
}

export function callbackNotListed(callbackUrl: string): SetupProblem {
  return { field: 'callback', message: `Your app does not list this callback URL: ${callbackUrl}. Add it to the app's Callback URL in ${OAUTH_SETTINGS} (Salesforce can take a few minutes to apply it), or choose the callback your app lists. ${NOTHING}` };
}

export function scopesMissing(): SetupProblem {
  return { field: 'clientId', message: `This app does not allow the scopes the tray needs. In ${OAUTH_SETTINGS}, select ${SCOPES}, or use the consumer key of an app that has them. ${NOTHING}` };
}

export function noRefreshToken(): SetupProblem {
  return { field: 'clientId', message: `Salesforce issued no refresh token, so the connection could not be kept alive. In ${OAUTH_SETTINGS}, select ${SCOPES}; under the app's Policies set the refresh token policy to “Refresh token is valid until revoked”. ${NOTHING}` };
}

export function secretProblem(withSecret: boolean): SetupProblem {
  return withSecret
    ? { field: 'clientSecret', message: `Salesforce does not accept this consumer secret with this consumer key. Copy both again from Setup → External Client App Manager → your app → Settings → OAuth Settings → Consumer Key and Secret. ${NOTHING}` }
    : {
        field: 'clientSecret',
        message: `Salesforce wants this app's consumer secret: PKCE is not enabled for it. Either enter the Consumer Secret here, or in ${OAUTH_SETTINGS} turn on “Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows” and turn off “Require secret for Web Server Flow” and “Require secret for Refresh Token Flow”. ${NOTHING}`,
      };
}

function pkceRefused(): SetupProblem {
  return { field: 'clientId', message: `Salesforce refused the PKCE proof the tray sends with every sign-in. In ${OAUTH_SETTINGS}, turn on “Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows”. ${NOTHING}` };
}

/** The field and words for one of Salesforce's error codes, or null when it is not about the app's setup. */
export function appSetupProblem(code: string | null | undefined, description: string | null | undefined, setup: SignInSetup): SetupProblem | null {
  switch (code) {
    case 'invalid_client_id':
      return unknownConsumerKey();
    case 'redirect_uri_mismatch':
    case 'redirect_uri_missing':
      return callbackNotListed(setup.callbackUrl);
    case 'invalid_scope':
      return scopesMissing();
    case 'invalid_client':
    case 'invalid_client_credentials':
      return secretProblem(setup.withSecret);
    case 'invalid_request':
      return /code[ _]?(challenge|verifier)|pkce/i.test(description ?? '') ? pkceRefused() : null;
    default:
      return null;
  }
}
