/**
 * A count of renders per row, kept only when a test page asks for it (by defining
 * `window.__d2cRenders` before the app loads): the UI tests prove that a minute passing re-renders
 * the rows whose text changed and no other. Costs one property read otherwise.
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
