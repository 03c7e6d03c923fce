/**
 * ConfirmEndpoints over Electron's native message box, shown by main: the renderer cannot draw,
 * answer or skip it. Cancel is the default and the Escape answer; only the explicit button is a yes.
 */
import { BrowserWindow, dialog } from 'electron';
import type { ConfirmEndpoints } from '../core/ports.js';

export const confirmEndpointsWithDialog: ConfirmEndpoints = async (changes) => {
  const hosts = [...new Set(changes.map((c) => c.host))];
  const options = {
    type: 'warning' as const,
    title: 'Confirm new service address',
    message: `Use ${hosts.join(' and ')}? The app will send your Data2CRM user key and Salesforce tokens there.`,
    detail: `${changes.map((c) => `${c.setting}: ${c.url}`).join('\n')}\n\nOnly continue if you set this address yourself (for example a local sandbox). If you did not, choose Cancel: nothing will be sent.`,
    buttons: ['Cancel', `Use ${hosts.length === 1 ? hosts[0] : 'these addresses'}`],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const parent = BrowserWindow.getFocusedWindow();
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return response === 1;
};
