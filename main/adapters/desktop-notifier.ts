/** Shows the core's notices as desktop notifications; a click opens what the notice names. */
import { Notification } from 'electron';
import type { Notice } from '../core/keepalive/notification-policy.js';

export function createDesktopNotifier(open: { dialog: (connectionId: string) => void; account: () => void }): (notice: Notice) => void {
  return (notice) => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: notice.title, body: notice.body, silent: false });
    shown.on('click', () => (notice.openAccount ? open.account() : notice.openDialogFor !== null && open.dialog(notice.openDialogFor)));
    shown.show();
  };
}
