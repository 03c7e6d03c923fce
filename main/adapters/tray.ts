/** Renders the core's tray model as a native tray; holds no state of its own. */
import { Menu, Tray, nativeImage } from 'electron';
import type { AppStatus } from '../core/app-status.js';
import type { TrayAction, TrayModel } from '../core/tray-model.js';
import { toMenuTemplate } from './tray-menu-template.js';

export function createTrayPresenter(iconPath: (status: AppStatus) => string, onAction: (action: TrayAction) => void) {
  let tray: Tray | null = null;
  let shown: { icon: string; tooltip: string; items: string } | null = null;
  return {
    render(model: TrayModel): void {
      // Only what changed is touched: a rebuilt native menu costs, and most changes leave it alone.
      const items = JSON.stringify(model.items);
      // On macOS the path names a *Template.png: Electron then treats it as a template image.
      const current = (tray ??= new Tray(nativeImage.createFromPath(iconPath(model.icon))));
      if (shown && shown.icon !== model.icon) current.setImage(nativeImage.createFromPath(iconPath(model.icon)));
      if (shown?.tooltip !== model.tooltip) current.setToolTip(model.tooltip);
      // Linux (AppIndicator) only picks up a changed menu through setContextMenu again.
      if (shown?.items !== items) current.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.items, onAction)));
      shown = { icon: model.icon, tooltip: model.tooltip, items };
    },
    destroy(): void {
      tray?.destroy();
      tray = null;
      shown = null;
    },
  };
}
