/** Renders the core's tray model as a native tray; holds no state of its own. */
import { Menu, Tray, nativeImage } from 'electron';
import type { AppStatus } from '../core/app-status.js';
import type { TrayAction, TrayModel } from '../core/tray-model.js';
import { toMenuTemplate } from './tray-menu-template.js';

export function createTrayPresenter(iconPath: (status: AppStatus) => string, onAction: (action: TrayAction) => void) {
  let tray: Tray | null = null;
  return {
    render(model: TrayModel): void {
      // On macOS the path names a *Template.png: Electron then treats it as a template image.
      const image = nativeImage.createFromPath(iconPath(model.icon));
      if (!tray) tray = new Tray(image);
      else tray.setImage(image);
      tray.setToolTip(model.tooltip);
      // Linux (AppIndicator) only picks up a changed menu through setContextMenu again.
      tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.items, onAction)));
    },
    destroy(): void {
      tray?.destroy();
      tray = null;
    },
  };
}
