/**
 * What the core stores as a connection's last error when Salesforce ends its sign-in, worded by the
 * core itself (salesforce/failures.ts) from Salesforce's raw answer, so seeded fixtures and the
 * README pictures show what a user sees today, never Salesforce's raw "expired access/refresh token".
 */
import { salesforceFailure } from '../../main/core/salesforce/failures.js';

/** Salesforce's answer to a refresh with a revoked or expired refresh token. */
const EXPIRED_GRANT = JSON.stringify({ error: 'invalid_grant', error_description: 'expired access/refresh token' });

export const SIGN_IN_ENDED_WORDS: string = salesforceFailure({ status: 400, headers: new Headers(), text: EXPIRED_GRANT }, Date.now()).message;
