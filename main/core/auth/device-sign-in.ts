/**
 * The OAuth 2.0 device flow (RFC 8628; Salesforce's "Device Flow", as `sf org login device` uses
 * it): ask for a code, show the user where to enter it, poll the token endpoint at the interval
 * the server names until the user approved, denied, or the code expired. For a keeper on a server,
 * which has no browser and no redirect to catch.
 */
import { isTransient } from '../http/api-failure.js';
import type { Clock } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import { DEVICE_SLOW_DOWN_MS, type SalesforceOAuthClient } from '../salesforce/oauth-client.js';
import type { TokenSet } from '../salesforce/types.js';
import type { SignInFailure } from './sign-in.js';

/** What the user is told to do: open this address on any device and enter this code. */
export interface DeviceCodePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  /** Wall ms after which the code no longer works. */
  readonly expiresAt: number;
}

export interface DeviceSignInOptions {
  readonly clock: Clock;
  readonly onPrompt: (prompt: DeviceCodePrompt) => void;
  readonly signal?: AbortSignal;
}

/** Waits on the Clock port (never a bare timer), ending early when cancelled. */
function pause(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', cancel);
      resolve();
    });
    const cancel = () => {
      timer.cancel();
      resolve();
    };
    signal?.addEventListener('abort', cancel, { once: true });
  });
}

export async function signInWithDevice(oauth: SalesforceOAuthClient, options: DeviceSignInOptions): Promise<Result<TokenSet, SignInFailure>> {
  const { clock, signal } = options;
  const started = await oauth.beginDeviceAuthorization(undefined, signal);
  if (!started.ok) return err({ kind: 'exchange-failed', message: `Salesforce did not start the device sign-in: ${started.error.message}`, api: started.error });
  const { deviceCode, userCode, verificationUri, expiresAt } = started.value;
  let intervalMs = started.value.intervalMs;
  options.onPrompt({ userCode, verificationUri, expiresAt });
  for (;;) {
    await pause(clock, intervalMs, signal);
    if (signal?.aborted) return err({ kind: 'cancelled', message: 'The device sign-in was cancelled.' });
    if (clock.now() >= expiresAt) return err({ kind: 'timeout', message: `The code ${userCode} expired before it was entered. Start again for a new code.` });
    const polled = await oauth.pollDeviceToken(deviceCode, signal);
    if (!polled.ok) {
      // A network blip while the user is still typing is not the end: the next poll may work.
      if (isTransient(polled.error)) continue;
      return err({ kind: 'exchange-failed', message: `Salesforce refused the device sign-in: ${polled.error.message}`, api: polled.error });
    }
    switch (polled.value.kind) {
      case 'tokens':
        return ok(polled.value.tokens);
      case 'pending':
        continue;
      case 'slow-down':
        intervalMs += DEVICE_SLOW_DOWN_MS;
        continue;
      case 'denied':
        return err({ kind: 'denied', message: 'The sign-in was denied at the verification page.' });
      case 'expired':
        return err({ kind: 'timeout', message: `The code ${userCode} expired before it was entered. Start again for a new code.` });
    }
  }
}
