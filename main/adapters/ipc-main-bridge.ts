/**
 * The only place main touches ipcMain and webContents.send: it forwards every invoke to the
 * dispatcher (which checks sender and schema) and fans events out to our windows.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { invokeChannels, type EventChannel } from '../../preload/contract.js';
import type { IpcDispatcher } from '../ipc/dispatcher.js';
import type { EventSink } from '../ipc/events.js';

/** electron-log listens here from its import on; our renderers log nothing, so it is closed. */
const ELECTRON_LOG_CHANNEL = '__ELECTRON_LOG__';

export function bridgeIpcMain(dispatcher: IpcDispatcher): void {
  // A renderer reaches only the contract's channels, each checked by the dispatcher.
  ipcMain.removeHandler(ELECTRON_LOG_CHANNEL);
  ipcMain.removeAllListeners(ELECTRON_LOG_CHANNEL);
  for (const channel of Object.keys(invokeChannels)) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, args: unknown) =>
      dispatcher.dispatch(channel, {
        url: event.senderFrame?.url ?? '',
        isMainFrame: event.senderFrame !== null && event.senderFrame === event.sender.mainFrame,
      }, args),
    );
  }
}

/** Hidden windows get nothing (a window shown again is sent the whole state: see app-windows). */
export const sendToVisibleWindows: EventSink = (channel: EventChannel, payload: unknown) => {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed() && window.isVisible()) window.webContents.send(channel, payload);
  }
};

/** Whether any window would receive an event: when none does, nothing is built or parsed for them. */
export const anyWindowVisible = (): boolean => BrowserWindow.getAllWindows().some((window) => !window.isDestroyed() && window.isVisible());
