/**
 * While the state database is a newer version's (opened read-only for the whole session), every
 * write is refused, so a flow that calls Data2CRM or Salesforce before its write would act there
 * and then fail to record it: an application registered and left behind, a token rotated that the
 * newer version still holds. Such flows are refused before they start, in the "update the app" words.
 */
import { stateDatabaseLine } from '../../../shared/state-words.js';
import { err, type Result } from '../result.js';
import type { ConnectFailure } from './connection-failures.js';

export const NOTHING_WHILE_NEWER = `Nothing was changed: ${stateDatabaseLine('newer')}.`;

type Flow = (...args: never[]) => Promise<Result<unknown, ConnectFailure>>;

/** The same flows, each refusing at once (no network) when the database is a newer version's. */
export function refusedWhileNewer<T extends Record<string, Flow>>(flows: T, readOnly: boolean): T {
  if (!readOnly) return flows;
  const refuse = async () => err({ kind: 'storage-failed' as const, message: NOTHING_WHILE_NEWER });
  return Object.fromEntries(Object.keys(flows).map((name) => [name, refuse])) as unknown as T;
}
