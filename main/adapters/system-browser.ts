/**
 * AuthBrowser over the user's default browser (RFC 8252's recommendation): the loopback listener
 * receives the redirect; this adapter only opens the page. Only http(s) URLs the core built are
 * ever handed to the OS.
 */
import { shell } from 'electron';
import type { AuthBrowser } from '../core/ports.js';
import { isLoopbackHost } from '../core/salesforce/hosts.js';

/** Hands an https URL (or http on loopback, the sandbox) to the OS; anything else is refused. */
export function openInSystemBrowser(url: string): void {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) throw new Error('refusing to open a URL that is not https');
  void shell.openExternal(parsed.toString());
}

export function createSystemBrowser(): AuthBrowser {
  return {
    open(url) {
      openInSystemBrowser(url);
      // The system browser reports nothing back; the loopback listener (or the timeout) ends the sign-in.
      return { outcome: new Promise(() => undefined), close: () => undefined };
    },
    // Cookies live in the user's browser, not ours.
    forgetSession: async () => undefined,
  };
}
