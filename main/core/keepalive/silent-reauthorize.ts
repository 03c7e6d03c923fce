/**
 * Internal mode's silent re-authorization: the Data2CRM sign-in again in a hidden window using
 * the connection's saved browser session, bounded by a short timeout. It succeeds only when no
 * user input is needed (the sign-in provider approves at once); otherwise it times out quietly.
 */
import { signInInternal, type SignInDeps } from '../auth/sign-in.js';
import type { ConnectionRecord } from '../settings/schema.js';

export const SILENT_SIGN_IN_TIMEOUT_MS = 30_000;

export function createSilentReauthorizer(deps: () => Omit<SignInDeps, 'timeoutMs'> & { authBase: string }, timeoutMs = SILENT_SIGN_IN_TIMEOUT_MS) {
  return (record: ConnectionRecord) => signInInternal({ ...deps(), timeoutMs }, { sessionId: record.id, silent: true });
}
