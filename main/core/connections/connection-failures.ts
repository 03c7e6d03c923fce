/** What can go wrong when connecting, re-authorizing or disconnecting; every message is written for the user. */
import type { SignInFailure } from '../auth/sign-in.js';
import type { ApiFailure } from '../http/api-failure.js';

export type ConnectFailure =
  | SignInFailure
  | { kind: 'invalid-input'; message: string; field?: string }
  | { kind: 'verify-failed'; message: string; api: ApiFailure }
  | { kind: 'register-failed'; message: string; api: ApiFailure }
  | { kind: 'storage-failed'; message: string };

export type DisconnectFailure = { kind: 'not-found'; message: string } | { kind: 'step-failed'; step: 'delete-application' | 'revoke' | 'delete-secrets' | 'remove-record'; message: string; api?: ApiFailure };
