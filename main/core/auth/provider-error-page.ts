/**
 * Salesforce's own error pages in the sign-in window. A wrong consumer key (or a callback URL the
 * connected app doesn't list) never redirects back: Salesforce shows a page on its authorize
 * address, HTTP 400 with text like `error=invalid_client_id&error_description=client identifier
 * invalid`. Without recognising it the sign-in would wait for its timeout. The page's URL may carry
 * `error=` too. Anything else is not ours to judge (a login page, MFA, a consent page).
 */
import { safeServerCode } from '../http/api-failure.js';
import { isSalesforceHost } from '../salesforce/hosts.js';
import { appSetupProblem } from './app-setup-errors.js';

export interface LoadedPage {
  readonly url: string;
  /** The main frame's HTTP status (0 when unknown). */
  readonly status: number;
  /** The start of the page's text, read for error statuses only ('' otherwise). */
  readonly text: string;
}

/** What the page says in words for the wizard, and which field to fix; null when it is no error page. */
/** `signInUrl`: where the sign-in started; its origin and Salesforce's domains are the provider's pages. */
export function providerErrorPage(page: LoadedPage, signInUrl: string, redirectUri: string): { message: string; field?: string } | null {
  let url: URL;
  try {
    url = new URL(page.url);
  } catch {
    return null;
  }
  if (!isSalesforceHost(url.hostname) && url.origin !== new URL(signInUrl).origin) return null;
  const onAuthorize = url.pathname.endsWith('/services/oauth2/authorize');
  const code = safeServerCode(url.searchParams.get('error') ?? (onAuthorize || page.status >= 400 ? /\berror=([a-z_]{1,60})/.exec(page.text)?.[1] : undefined)) ?? null;
  if (!code && !(onAuthorize && page.status >= 400)) return null;
  if (code === null) return { message: 'Salesforce refused the sign-in request before its login page: usually a wrong consumer key or a callback URL your app does not list. Nothing was stored.' };
  // An app set up wrong is said under the field that fixes it.
  const description = url.searchParams.get('error_description') ?? /\berror_description=([^&\s]{1,200})/.exec(page.text)?.[1] ?? null;
  const problem = appSetupProblem(code, description && safeDecode(description), { callbackUrl: redirectUri, withSecret: false });
  return problem ?? { message: `Salesforce refused the sign-in request (${code}). Check your app's settings in Salesforce Setup. Nothing was stored.` };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
