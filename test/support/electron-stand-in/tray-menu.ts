/**
 * `Tray` (https://www.electronjs.org/docs/latest/api/tray), `Menu`/`MenuItem`
 * (https://www.electronjs.org/docs/latest/api/menu) and `nativeImage.createFromPath`: they record
 * what main gave them; `clickMenuItem` clicks like a user (a disabled item does nothing, as in a
 * native menu; a label that is not there is an error).
 */
import type { MenuItemConstructorOptions } from 'electron';
import { existsSync } from 'node:fs';

export type LabelMatch = string | RegExp;

export class StandInImage {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return !existsSync(this.path);
  }
}

export const nativeImage = { createFromPath: (path: string) => new StandInImage(path) };

export class StandInMenuItem {
  readonly id: string | undefined;
  /** "This property can be dynamically changed" (MenuItem.label). */
  label: string;
  readonly type: string;
  readonly enabled: boolean;
  /** A checkbox item's state (MenuItem.checked). */
  readonly checked: boolean;
  readonly submenu: StandInMenu | undefined;
  private readonly onClick: MenuItemConstructorOptions['click'];

  constructor(options: MenuItemConstructorOptions) {
    this.id = options.id;
    this.label = options.label ?? '';
    this.type = options.type ?? (options.submenu ? 'submenu' : 'normal');
    this.enabled = options.enabled ?? true;
    this.checked = options.checked ?? false;
    this.onClick = options.click;
    this.submenu = options.submenu ? (options.submenu instanceof StandInMenu ? options.submenu : StandInMenu.buildFromTemplate(options.submenu as MenuItemConstructorOptions[])) : undefined;
  }

  click(): void {
    if (this.enabled) this.onClick?.(this as never, undefined, {} as never);
  }
}

export class StandInMenu {
  private readonly willShow: Array<() => void> = [];
  constructor(readonly items: StandInMenuItem[]) {}

  /** Menu event 'menu-will-show' (macOS: emitted when the menu is about to open). */
  on(event: 'menu-will-show', listener: () => void): this {
    if (event === 'menu-will-show') this.willShow.push(listener);
    return this;
  }

  /** A user opening the menu on macOS: 'menu-will-show' first, then the items are shown. */
  open(): StandInMenu {
    for (const listener of this.willShow) listener();
    return this;
  }

  getMenuItemById(id: string): StandInMenuItem | null {
    for (const item of this.items) {
      if (item.id === id) return item;
      const inner = item.submenu?.getMenuItemById(id);
      if (inner) return inner;
    }
    return null;
  }

  static buildFromTemplate(template: MenuItemConstructorOptions[]): StandInMenu {
    return new StandInMenu(template.map((options) => new StandInMenuItem(options)));
  }

  /** The item at a label path, e.g. (/^Acme —/, 'Refresh now'); a string matches exactly. */
  find(...labels: LabelMatch[]): StandInMenuItem {
    const [first, ...rest] = labels;
    const item = this.items.find((candidate) => (typeof first === 'string' ? candidate.label === first : first!.test(candidate.label)));
    if (!item) throw new Error(`no menu item ${String(first)} in [${this.items.map((i) => i.label).join(', ')}]`);
    if (rest.length === 0) return item;
    if (!item.submenu) throw new Error(`menu item ${String(first)} has no submenu`);
    return item.submenu.find(...rest);
  }
}

export class StandInTray {
  image: StandInImage;
  tooltip = '';
  menu: StandInMenu | null = null;
  /** How many times main set a context menu (a rebuilt native menu), so tests can see when it did not. */
  menusSet = 0;
  private destroyed = false;
  private readonly listeners = new Map<string, Array<() => void>>();

  constructor(image: StandInImage) {
    this.image = image;
  }

  setImage(image: StandInImage): void {
    this.image = image;
  }

  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }

  setContextMenu(menu: StandInMenu | null): void {
    this.menu = menu;
    this.menusSet++;
  }

  /** Tray events 'click' and 'right-click' (the latter macOS and Windows). */
  on(event: 'click' | 'right-click', listener: () => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  /** A user right-clicking the icon on Windows: 'right-click' is emitted, then the context menu pops up. */
  rightClick(): StandInMenu | null {
    for (const listener of this.listeners.get('right-click') ?? []) listener();
    return this.menu;
  }

  destroy(): void {
    this.destroyed = true;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** A user opening the tray menu and clicking the item at this label path. */
  clickMenuItem(...labels: LabelMatch[]): void {
    if (this.destroyed) throw new Error('the tray was destroyed');
    if (!this.menu) throw new Error('the tray has no menu');
    this.menu.find(...labels).click();
  }
}

export function createTrayClass(trays: StandInTray[]) {
  return class Tray extends StandInTray {
    constructor(image: StandInImage) {
      super(image);
      trays.push(this);
    }
  };
}
