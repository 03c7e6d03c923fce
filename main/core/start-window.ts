/**
 * Whether the settings window opens when the app starts. A tray icon alone is invisible on
 * desktops without a tray (stock GNOME), so a first start, with nothing connected yet, opens the
 * window; once connections exist the app starts quietly in the tray. A second launch while the
 * app runs always shows the window (the composition root's `second-instance`).
 */
export function opensSettingsAtStart(settings: { readonly connections: readonly unknown[] }): boolean {
  return settings.connections.length === 0;
}
