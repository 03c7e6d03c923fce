/**
 * The own-app wizard's guide to setting up the user's Salesforce app: an External Client App (the
 * only kind new orgs can create since Spring '26), or a Connected App an org already has. The same
 * steps as the help page's "Your own Salesforce app" (resources/help/own-salesforce-app.html).
 */
export function AppSetupGuide() {
  return (
    <details className="guide">
      <summary>How to set up your app in Salesforce</summary>
      <ol>
        <li>
          In Setup, open <strong>External Client App Manager</strong> and choose <strong>New External Client App</strong> (orgs that still have Connected Apps: <strong>App Manager</strong>, then your app).
        </li>
        <li>
          Under <strong>OAuth Settings</strong>, enable OAuth and enter the callback URL above as the <strong>Callback URL</strong>. External Client Apps take only https or app-link callbacks: choose one of those here.
        </li>
        <li>
          Select the OAuth scopes <strong>Manage user data via APIs (api)</strong> and <strong>Perform requests at any time (refresh_token, offline_access)</strong>.
        </li>
        <li>
          Turn on <strong>Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows</strong>, and turn off <strong>Require secret for Web Server Flow</strong> and <strong>Require secret for Refresh Token Flow</strong> (or keep them and enter the consumer secret here).
        </li>
        <li>
          Under the app&apos;s <strong>Policies</strong>, set the refresh token policy to <strong>Refresh token is valid until revoked</strong>: a refresh token that expires ends the connection when it does.
        </li>
        <li>
          Copy the consumer key from <strong>Settings → OAuth Settings → Consumer Key and Secret</strong> (Salesforce may ask you to verify your identity first; a Connected App: <strong>View</strong>, then <strong>Manage Consumer Details</strong>). Salesforce can take a few minutes to apply changes.
        </li>
      </ol>
    </details>
  );
}
