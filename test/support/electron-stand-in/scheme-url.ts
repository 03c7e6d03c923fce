/**
 * Chromium (outside Electron) cannot load a custom scheme such as app://, so the stand-in carries
 * `scheme://host/path` over `https://host.scheme.scheme.invalid/path` (a secure origin, like a
 * privileged standard scheme) and translates back wherever main sees a URL: navigation events,
 * webContents.getURL(), the IPC sender frame, the Request handed to protocol.handle.
 */
const SUFFIX = '.scheme.invalid';

export function toPageUrl(url: string, schemes: ReadonlySet<string>): string {
  const parsed = new URL(url);
  const scheme = parsed.protocol.slice(0, -1);
  if (!schemes.has(scheme)) return url;
  return `https://${parsed.host}.${scheme}${SUFFIX}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

export function fromPageUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'https:' || !parsed.hostname.endsWith(SUFFIX)) return url;
  const labels = parsed.hostname.slice(0, -SUFFIX.length).split('.');
  const scheme = labels.pop()!;
  return `${scheme}://${labels.join('.')}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

export const isSchemePageUrl = (url: string) => fromPageUrl(url) !== url;
