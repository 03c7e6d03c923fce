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

export function StatusBadge({ status }: { status: ConnectionView['status'] }) {
  return <span className={`badge badge-${status}`}>{TEXT[status]}</span>;
}
