/**
 * The callback URLs an own Salesforce app (External Client App or connected app) can register for
 * this app's sign-in, in one place: the wizard shows and copies them, the core sends and validates
 * them, the installers claim the custom scheme. Salesforce's External Client Apps take only
 * "secure HTTPS or a custom URI scheme" callbacks, so besides the loopback listener (RFC 8252 §7.3)
 * there are two more:
 * - custom-scheme: a private-use URI scheme this app claims (RFC 8252 §7.1): the OS hands the
 *   redirect to the app (macOS `open-url`, Windows/Linux a second start with the URL), and the
 *   app's own sign-in window catches it before it leaves;
 * - https: an https address that only the app's own sign-in window can catch; it is never loaded
 *   (on loopback's https port, so a window that failed to catch it would reach no one else).
 */

export const CALLBACK_KINDS = ['loopback', 'custom-scheme', 'https'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

/** The scheme the app claims (reverse domain of its appId, as RFC 8252 §7.1 asks). */
export const CUSTOM_SCHEME = 'com.data2crm.tray';
export const CUSTOM_SCHEME_CALLBACK = `${CUSTOM_SCHEME}:/oauth/callback`;
export const HTTPS_CALLBACK = 'https://127.0.0.1/data2crm-tray/oauth/callback';
export const DEFAULT_CALLBACK_PORT = 1717;

/** The exact callback URL for a kind (the loopback one carries the port). */
export function callbackUrlOf(kind: CallbackKind, port: number): string {
  switch (kind) {
    case 'loopback':
      return `http://127.0.0.1:${port}/callback`;
    case 'custom-scheme':
      return CUSTOM_SCHEME_CALLBACK;
    case 'https':
      return HTTPS_CALLBACK;
  }
}

/** How each kind is named to people (wizard, help, error messages). */
export const CALLBACK_NAMES: Record<CallbackKind, string> = {
  loopback: 'This computer (http://127.0.0.1)',
  'custom-scheme': 'App link (com.data2crm.tray:)',
  https: 'https, caught by the sign-in window',
};
