/** Live Salesforce tokens from the sandbox, obtained through its real sign-in flows over HTTP. */
import { createSalesforceOAuthClient, data2crmAuthorizeUrl, type TokenSet } from '../../main/core/index.js';
import { signInHeadless } from '../sandbox/headless-sign-in.js';
import { SAMPLE_CLIENT, type Sandbox } from '../sandbox/server.js';

export const CALLBACK = 'http://127.0.0.1:1717/callback';

/** oAuth-internal: Data2CRM's sign-in returns the three values in the redirect's hash. */
export async function internalTokens(sandbox: Sandbox) {
  const { location } = await signInHeadless(data2crmAuthorizeUrl(sandbox.urls.data2crmAuth, `${CALLBACK}?state=test`));
  const hash = new URLSearchParams(new URL(location).hash.slice(1));
  return { instanceUrl: hash.get('instance_url')!, accessToken: hash.get('access_token')!, refreshToken: hash.get('refresh_token')! };
}

export function sandboxOAuthClient(sandbox: Sandbox, overrides: Partial<Parameters<typeof createSalesforceOAuthClient>[0]> = {}) {
  return createSalesforceOAuthClient({
    loginBaseUrl: sandbox.urls.salesforceLogin,
    clientId: SAMPLE_CLIENT.clientId,
    clientSecret: SAMPLE_CLIENT.clientSecret,
    extraHosts: [new URL(sandbox.urls.origin).host],
    timeoutMs: 2_000,
    ...overrides,
  });
}

/** oAuth-external-refresh: the web-server flow with PKCE through the connected app. */
export async function externalTokens(sandbox: Sandbox): Promise<TokenSet> {
  const client = sandboxOAuthClient(sandbox);
  const pending = client.beginAuthorization(CALLBACK);
  const { location } = await signInHeadless(pending.url);
  const code = new URL(location).searchParams.get('code')!;
  const tokens = await client.exchangeCode(code, pending);
  if (!tokens.ok) throw new Error(`code exchange failed: ${tokens.error.message}`);
  return tokens.value;
}
