/** Shows the core's notices as desktop notifications; a click opens what the notice names. */
import { Notification } from 'electron';
import type { Notice } from '../core/keepalive/notification-policy.js';

export function createDesktopNotifier(open: { dialog: (connectionId: string) => void; attention: () => void; account: () => void; settings: () => void }): (notice: Notice) => void {
  return (notice) => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: notice.title, body: notice.body, silent: false });
        // A grouped notice opens all the connections it names, not only the first.
    shown.on('click', () => (notice.openAccount ? open.account() : notice.openSettings ? open.settings() : notice.connectionIds.length > 1 ? open.attention() : notice.openDialogFor !== null && open.dialog(notice.openDialogFor)));
    shown.show();
  };
}
