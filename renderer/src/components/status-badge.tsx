import type { ConnectionView } from '../../../preload/contract';

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
export function StatusBadge({ status, keyRejected = false }: { status: ConnectionView['status']; keyRejected?: boolean }) {
  if (keyRejected && status !== 'disconnecting') return <span className="badge badge-key-rejected">Stopped: user key rejected</span>;
  return <span className={`badge badge-${status}`}>{TEXT[status]}</span>;
}
