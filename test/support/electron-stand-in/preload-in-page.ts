/**
 * Runs a window's real preload bundle (out/preload/index.cjs) in its page, the way a sandboxed
 * Electron preload runs (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts):
 * CommonJS with a `require` that only knows 'electron', giving `contextBridge` and `ipcRenderer`.
 * `ipcRenderer.invoke` goes to the stand-in's ipcMain through a Playwright binding (which tells
 * main the sending frame); `webContents.send` comes back through `__standInEmit`.
 * Only the main frame gets the preload (nodeIntegrationInSubFrames is false in our windows).
 */
import { readFileSync } from 'node:fs';

export const INVOKE_BINDING = '__standInInvoke';
export const EMIT_FUNCTION = '__standInEmit';

export function preloadInitScript(preloadPath: string): string {
  const preload = readFileSync(preloadPath, 'utf8');
  return `(() => {
  if (window !== window.top) return;
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, ...args) =>
      window.${INVOKE_BINDING}(channel, args).then((reply) => {
        // Electron rejects with "Error invoking remote method '<channel>': <error>".
        if ('error' in reply) throw new Error(reply.error);
        return reply.value;
      }),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const contextBridge = {
    // Electron copies the API into the page's world; a frozen object is the closest we get.
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true });
    },
  };
  Object.defineProperty(window, '${EMIT_FUNCTION}', {
    value: (channel, payload) => listeners.get(channel)?.forEach((listener) => listener({ sender: ipcRenderer }, payload)),
  });
  const module = { exports: {} };
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('Cannot find module ' + name + ' (a sandboxed preload can only require electron)');
  };
  (function (exports, require, module) {
${preload}
  })(module.exports, require, module);
})();`;
}
