import { describe, expect, it } from 'vitest';
import { buildTrayModel, type AppState, type TrayMenuItem } from '../../main/core/index.js';
import { toMenuTemplate } from '../../main/adapters/tray-menu-template.js';

const state: AppState = { productName: 'Data2CRM Tray', version: '1.2.3', status: 'attention', summary: '2 connections · 1 needs you' };

const actionLabels = (items: readonly TrayMenuItem[]) => items.flatMap((i) => (i.kind === 'action' ? [i.label] : []));

describe('tray model', () => {
  it('shows the summary as a disabled header and offers Settings… and Quit', () => {
    const model = buildTrayModel(state);
    expect(model.items[0]).toEqual({ kind: 'header', label: '2 connections · 1 needs you' });
    expect(actionLabels(model.items)).toEqual(['Settings…', 'Quit Data2CRM Tray']);
  });

  it('takes its icon and tooltip from the aggregate state', () => {
    for (const status of ['ok', 'attention', 'error', 'busy'] as const) {
      const model = buildTrayModel({ ...state, status, summary: `s-${status}` });
      expect(model.icon).toBe(status);
      expect(model.tooltip).toBe(`Data2CRM Tray: s-${status}`);
    }
  });

  it('maps each menu item to its action, and the adapter template calls it on click', () => {
    const clicked: string[] = [];
    const template = toMenuTemplate(buildTrayModel(state).items, (action) => clicked.push(action.type));
    expect(template.map((t) => t.type ?? t.label)).toEqual(['2 connections · 1 needs you', 'separator', 'Settings…', 'separator', 'Quit Data2CRM Tray']);
    expect(template[0]?.enabled).toBe(false);
    for (const item of template) item.click?.(undefined as never, undefined, undefined as never);
    expect(clicked).toEqual(['open-settings', 'quit']);
  });
});
