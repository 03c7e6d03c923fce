/**
 * Where a sign-in's redirect can arrive besides the loopback listener (adapters/loopback-listener.ts):
 * - the app's custom scheme: the OS hands the URL to the app (macOS `open-url`, a second start with
 *   the URL on Windows and Linux; adapters/protocol-client.ts) and the app passes it to `deliver`;
 * - an https callback: nothing listens, only the app's own sign-in window catches the navigation.
 * Either way the pending sign-in's redirect gate judges the URL (redirect.ts): a URL the OS hands
 * over is as hostile as any other and ends nothing unless it carries the pending state.
 */
import { CUSTOM_SCHEME_CALLBACK } from '../../../shared/callback-urls.js';
import type { RedirectJudge, RedirectListener } from '../ports.js';
import { isRedirectTo } from './redirect.js';

const MAX_URL_LENGTH = 16_384;

export function createSchemeRedirects(callbackUrl: string = CUSTOM_SCHEME_CALLBACK) {
  const judges = new Set<RedirectJudge>();
  const listener: RedirectListener = {
    start: async (_port, judge) => {
      judges.add(judge);
      return { redirectUri: callbackUrl, close: async () => void judges.delete(judge) };
    },
  };
  return {
    /** The RedirectListener a custom-scheme sign-in uses: it waits for `deliver`. */
    listener,
    /** A URL the OS handed the app: ends a pending sign-in only if its gate accepts it. */
    deliver(url: unknown): 'accepted' | 'ignored' {
      if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || !isRedirectTo(url, callbackUrl)) return 'ignored';
      for (const judge of judges) {
        try {
          if (judge(url) === 'accepted') return 'accepted';
        } catch {
          // A judge that throws accepted nothing.
        }
      }
      return 'ignored';
    },
  };
}

export type SchemeRedirects = ReturnType<typeof createSchemeRedirects>;

/** An https callback: no listener; the sign-in window catches the navigation before it loads. */
export function interceptOnly(redirectUri: string): RedirectListener {
  return { start: async () => ({ redirectUri, close: async () => undefined }) };
}
