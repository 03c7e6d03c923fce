/**
 * Serves the built renderer from app://renderer/ instead of file:// (Electron's checklist: a
 * custom protocol gives our pages a real origin that IPC sender checks can compare).
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { resolveInsideRoot } from '../core/safe-path.js';

export const APP_SCHEME = 'app';
export const RENDERER_ORIGIN = `${APP_SCHEME}://renderer`;

/** Must run before app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    const file = url.host === 'renderer' ? resolveInsideRoot(rendererDir, url.pathname) : null;
    if (file === null) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}
