import type { AppState, AppStatus } from './app-status.js';

/** What a menu item does; the tray adapter maps each action to a call and nothing else. */
export type TrayAction = { type: 'open-settings' } | { type: 'quit' };

export type TrayMenuItem =
  | { kind: 'header'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: string; label: string; enabled: boolean; action: TrayAction };

export interface TrayModel {
  readonly icon: AppStatus;
  readonly tooltip: string;
  readonly items: readonly TrayMenuItem[];
}

/** Compute, then render: the tray adapter only turns this model into a native menu. */
export function buildTrayModel(state: AppState): TrayModel {
  return {
    icon: state.status,
    tooltip: `${state.productName}: ${state.summary}`,
    items: [
      { kind: 'header', label: state.summary },
      { kind: 'separator' },
      { kind: 'action', id: 'settings', label: 'Settings…', enabled: true, action: { type: 'open-settings' } },
      { kind: 'separator' },
      { kind: 'action', id: 'quit', label: `Quit ${state.productName}`, enabled: true, action: { type: 'quit' } },
    ],
  };
}
