/** Shows the core's notices as desktop notifications; a click calls back with the connection. */
import { Notification } from 'electron';
import type { Notice } from '../core/keepalive/notification-policy.js';

export function createDesktopNotifier(onClick: (connectionId: string) => void): (notice: Notice) => void {
  return (notice) => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: notice.title, body: notice.body, silent: false });
    shown.on('click', () => onClick(notice.openDialogFor));
    shown.show();
  };
}
