import type { ConnectionView } from '../../../preload/contract';
import { needsUser } from '../../../shared/state-words';

const TEXT: Record<ConnectionView['status'], string> = {
  connecting: 'Connecting',
  healthy: 'Healthy',
  refreshing: 'Refreshing',
  retrying: 'Retrying',
  'needs-reauthorization': 'Needs you',
  'application-deleted': 'Deleted in Data2CRM',
  degraded: 'Problem',
  'refused-for-now': 'Refused for now',
  paused: 'Paused',
  disconnecting: 'Disconnecting',
};

/** The badge's word for a connection's own state (the table searches it too). */
export const badgeText = (status: ConnectionView['status'], pastes = false): string => (status === 'needs-reauthorization' && pastes ? 'Needs new tokens' : TEXT[status]);

/** The badge's class and words: while Data2CRM rejects the user key nothing is kept alive, so every row says so, whatever its last state. */
function badgeOf(status: ConnectionView['status'], keyRejected: boolean, paused: boolean, pastes: boolean): { kind: string; text: string } {
  if (keyRejected && status !== 'disconnecting') return { kind: 'key-rejected', text: 'Stopped: user key rejected' };
  // Paused by the user: nothing is kept alive, whatever the last check said (what needs the user still shows).
  if (paused && !needsUser(status) && status !== 'disconnecting') return { kind: 'paused', text: 'Paused' };
  return { kind: status, text: badgeText(status, pastes) };
}

/** A state in a word or two; `titled`: its words also on hover (where a narrow cell may cut them). */
export function StatusBadge({ status, keyRejected = false, paused = false, pastes = false, titled = false }: { status: ConnectionView['status']; keyRejected?: boolean; paused?: boolean; /** New tokens are pasted (pastesNewTokens). */ pastes?: boolean; titled?: boolean }) {
  const { kind, text } = badgeOf(status, keyRejected, paused, pastes);
  return (
    <span className={`badge badge-${kind}`} title={titled ? text : undefined}>
      {text}
    </span>
  );
}
