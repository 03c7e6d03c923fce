/**
 * Sandboxed preload: exposes one named function per contract channel as `window.api`, and
 * nothing of Electron itself. This and main/adapters/ipc-main-bridge.ts are the only files that
 * may touch ipcRenderer / ipcMain (lint enforces it).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './api.js';
import type { IpcEnvelope } from './contract.js';

const api = createApi({
  invoke: (channel, args) => ipcRenderer.invoke(channel, args) as Promise<IpcEnvelope<unknown>>,
  on: (channel, listener) => {
    const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld('api', api);

export type { Api } from './api.js';
