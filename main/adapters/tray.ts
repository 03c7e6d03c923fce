/**
 * Renders the core's tray model as a native tray. It keeps relative times true to the minute with
 * one timer armed for the minute mark at which labels next change (none when no label carries a
 * time); a change that only moves times (a check verified a row again) waits for that mark too,
 * so an idle tray rebuilds its native menu once a minute at most. Where Electron tells it a menu
 * is about to show (macOS, Windows), it refreshes just before.
 */
import { Menu, Tray, nativeImage } from 'electron';
import type { AppStatus } from '../core/app-status.js';
import type { Clock, TimerHandle } from '../core/ports.js';
import { nextMinuteMark, timesOnlyChanged, type TrayAction, type TrayMenuItem, type TrayModel } from '../core/tray-model.js';
import { toMenuTemplate } from './tray-menu-template.js';

/** The menu's items with their labels left out: equal shapes can be relabelled in place. */
const shapeOf = (items: readonly TrayMenuItem[]): string => JSON.stringify(items, (key, value: unknown) => (key === 'label' ? undefined : value));

function labelsById(items: readonly TrayMenuItem[], into = new Map<string, string>()): Map<string, string> {
  for (const item of items) {
    if (item.kind === 'header') into.set('header', item.label);
    if (item.kind === 'action' || item.kind === 'submenu') into.set(item.id, item.label);
    if (item.kind === 'submenu') labelsById(item.items, into);
  }
  return into;
}

export function createTrayPresenter(iconPath: (status: AppStatus) => string, onAction: (action: TrayAction) => void, clock: Pick<Clock, 'now' | 'setTimer'>, platform: NodeJS.Platform = process.platform) {
  let tray: Tray | null = null;
  let menu: Menu | null = null;
  let shown: { icon: string; tooltip: string; items: string; shape: string; model: TrayModel } | null = null;
  let build: ((now: number) => TrayModel) | null = null;
  let timer: { handle: TimerHandle; at: number } | null = null;

  /** The words as of now, shown now: the timer's minute mark, or a menu about to open. */
  const refresh = (): void => {
    if (build) render(build(clock.now()), true);
  };

  /** One timer, for the next moment a label changes; re-armed only when that moment moves. */
  function arm(at: number | null): void {
    if (timer?.at === at) return;
    timer?.handle.cancel();
    timer =
      at === null
        ? null
        : {
            at,
            handle: clock.setTimer(at - clock.now(), () => {
              timer = null;
              refresh();
            }),
          };
  }

  function setMenu(current: Tray, model: TrayModel, shape: string): void {
    // Linux (AppIndicator) only picks up a changed menu through setContextMenu again; elsewhere
    // a menu of the same shape takes new labels in place (MenuItem.label can change).
    if (platform !== 'linux' && menu && shown?.shape === shape) {
      for (const [id, label] of labelsById(model.items)) {
        const item = menu.getMenuItemById(id);
        if (item) item.label = label;
      }
      return;
    }
    menu = Menu.buildFromTemplate(toMenuTemplate(model.items, onAction));
    // macOS says when the menu opens: its labels are refreshed then.
    if (platform === 'darwin') menu.on('menu-will-show', refresh);
    current.setContextMenu(menu);
  }

  function createTray(model: TrayModel): Tray {
    // On macOS the path names a *Template.png: Electron then treats it as a template image.
    const created = new Tray(nativeImage.createFromPath(iconPath(model.icon)));
    // Windows emits these before it pops the context menu up: refresh its labels first.
    if (platform === 'win32') {
      created.on('right-click', refresh);
      created.on('click', refresh);
    }
    return created;
  }

  function render(model: TrayModel, now: boolean): void {
    // Only what changed is touched: a rebuilt native menu costs, and most changes leave it alone.
    const items = JSON.stringify(model.items);
    if (!now && shown && shown.items !== items && timesOnlyChanged(shown.model, model)) {
      // Only times moved: shown at the next minute mark, with every other time that moves by then.
      arm(Math.min(timer?.at ?? Infinity, nextMinuteMark(clock.now())));
      return;
    }
    const current = (tray ??= createTray(model));
    if (shown && shown.icon !== model.icon) current.setImage(nativeImage.createFromPath(iconPath(model.icon)));
    if (shown?.tooltip !== model.tooltip) current.setToolTip(model.tooltip);
    const shape = shown?.items === items ? shown.shape : shapeOf(model.items);
    if (shown?.items !== items) setMenu(current, model, shape);
    shown = { icon: model.icon, tooltip: model.tooltip, items, shape, model };
    arm(model.nextChangeAt);
  }

  return {
    /** Shows the model built for now, and builds it again whenever its labels would change. */
    show(builder: (now: number) => TrayModel): void {
      build = builder;
      render(builder(clock.now()), false);
    },
    destroy(): void {
      arm(null);
      build = null;
      tray?.destroy();
      tray = null;
      menu = null;
      shown = null;
    },
  };
}
