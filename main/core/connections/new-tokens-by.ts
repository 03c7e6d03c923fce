/**
 * How the user gives a connection new credentials when Salesforce no longer takes its own: by
 * signing in again (its mode's sign-in), or by pasting new tokens. Pasted tokens are renewed by
 * pasting, with or without their app's consumer key: a key pasted beside a refresh token tells
 * nothing about the app's callback URL, so a sign-in with that app was never set up and would fail
 * at Salesforce (tokens from Salesforce CLI or Postman come from apps that list no callback of ours).
 */
import type { ConnectionRecord } from '../settings/schema.js';

export type NewTokensBy = 'sign-in' | 'paste';

export const newTokensBy = (record: Pick<ConnectionRecord, 'mode' | 'connectedApp'>): NewTokensBy => (record.mode === 'manual' || record.connectedApp?.pasted ? 'paste' : 'sign-in');

/** Salesforce's "sign in again" advice, said as what this connection's user does instead (paste new tokens). */
export function fixWordsFor(record: Pick<ConnectionRecord, 'mode' | 'connectedApp'>, message: string): string {
  return newTokensBy(record) === 'paste' ? message.replace(/ Authorize the connection again\.$/, ' Paste new tokens.') : message;
}
