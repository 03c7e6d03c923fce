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
  paused: 'Paused',
  disconnecting: 'Disconnecting',
};

/** While Data2CRM rejects the user key nothing is kept alive: every row says so, whatever its last state. */
export function StatusBadge({ status, keyRejected = false, paused = false, mode }: { status: ConnectionView['status']; keyRejected?: boolean; paused?: boolean; mode?: ConnectionView['mode'] }) {
  if (keyRejected && status !== 'disconnecting') return <span className="badge badge-key-rejected">Stopped: user key rejected</span>;
  // Paused by the user: nothing is kept alive, whatever the last check said (what needs the user still shows).
  if (paused && !needsUser(status) && status !== 'disconnecting') return <span className="badge badge-paused">Paused</span>;
  if (status === 'needs-reauthorization' && mode === 'manual') return <span className="badge badge-needs-reauthorization">Needs new tokens</span>;
  return <span className={`badge badge-${status}`}>{TEXT[status]}</span>;
}
