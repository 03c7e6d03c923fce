/**
 * Tray model items → Electron menu template. Type-only Electron import, so tests run it in Node.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuItem } from '../core/tray-model.js';

export function toMenuTemplate(
  items: readonly TrayMenuItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'header':
        return { id: 'header', label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'action':
        return { id: item.id, label: item.label, enabled: item.enabled, ...(item.checked === undefined ? {} : { type: 'checkbox' as const, checked: item.checked }), click: () => onAction(item.action) };
      case 'submenu':
        return { id: item.id, label: item.label, ...(item.enabled === undefined ? {} : { enabled: item.enabled }), submenu: toMenuTemplate(item.items, onAction) };
    }
  });
}
