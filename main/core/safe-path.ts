import { posix } from 'node:path';

/**
 * Maps a URL path of our app:// protocol to a file under `root`, or null when it would escape it
 * (`..`, encoded slashes, absolute paths). Pure string work so it is tested without Electron.
 */
export function resolveInsideRoot(root: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Refuse any parent segment outright rather than let normalize() clamp it to the root.
  if (decoded.split('/').includes('..')) return null;
  const normal = posix.normalize(`/${decoded}`);
  const relative = normal === '/' ? 'index.html' : normal.slice(1);
  const base = root.endsWith('/') ? root.slice(0, -1) : root;
  return `${base}/${relative}`;
}
