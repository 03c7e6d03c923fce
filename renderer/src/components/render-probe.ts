/**
 * A count of renders per key (`row:<id>` for a row, `time:<id>` for a row's clock-bound texts),
 * kept only when a test page asks for it (by defining `window.__d2cRenders` before the app loads):
 * the UI tests prove that a minute passing re-renders the texts whose words changed and nothing
 * else. Costs one property read otherwise.
 */
declare global {
  interface Window {
    __d2cRenders?: Record<string, number>;
  }
}

export function countRender(key: string): void {
  const counts = window.__d2cRenders;
  if (counts) counts[key] = (counts[key] ?? 0) + 1;
}
