import type { ReactNode } from 'react';
import type { ConnectionView } from '../../../preload/contract';
import { needsUser, pastesNewTokens } from '../../../shared/state-words';
import { StatusBadge } from './status-badge';

/**
 * The reason the connection's own state gives (Salesforce's refusal, the failing call), when the
 * badge shows that state: not while the user key is rejected or refresh is paused (the badge then
 * says that instead), never for a working connection.
 */
export function ownReason(c: ConnectionView, keyRejected: boolean, paused: boolean): string | null {
  if (keyRejected || (paused && !needsUser(c.status))) return null;
  if (c.status === 'healthy' || c.status === 'disconnecting' || c.status === 'connecting') return null;
  return c.statusDetail;
}

/** "next try in 2 min" → "Next try in 2 min.": the state's words after a reason read as a sentence. */
export const asSentence = (text: string): string => (text === '' ? '' : `${text[0]!.toUpperCase()}${text.slice(1)}${/[.…]$/.test(text) ? '' : '.'}`);

/**
 * A card's state, said once: the badge names it, the words beside it add only what the badge
 * does not say (a time, the reason). `detail` is the state line without the state's word
 * (shared/state-words.ts connectionStateDetail), live with the clock where the caller keeps it so,
 * and a sentence of its own after a reason (asSentence).
 */
export function ConnectionState({ connection, keyRejected, paused, detail, testId }: { connection: ConnectionView; keyRejected: boolean; paused: boolean; detail: ReactNode; testId?: string }) {
  const reason = ownReason(connection, keyRejected, paused);
  return (
    <p className="state-line" data-testid={testId}>
      <StatusBadge status={connection.status} keyRejected={keyRejected} paused={paused} pastes={pastesNewTokens(connection)} />{' '}
      {reason && (
        <>
          <span className="why">{reason}</span>{' '}
        </>
      )}
      <span className="when">{detail}</span>
    </p>
  );
}
