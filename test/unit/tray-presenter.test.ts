/**
 * The tray adapter over the Electron stand-in's Tray and Menu with a fake clock: one timer for the
 * next label change (none when no label carries a time), a rebuild only when items change, and a
 * refresh just before the menu shows where Electron says so (macOS 'menu-will-show', Windows 'right-click').
 */
import { describe, expect, it, vi } from 'vitest';
import { buildTrayModel, type TrayConnection, type TrayState } from '../../main/core/index.js';
import { createFakeClock } from '../support/fake-clock.js';
import type { StandInTray } from '../support/electron-stand-in/tray-menu.js';

const trays: StandInTray[] = [];
vi.mock('electron', async () => {
  const standIn = await import('../support/electron-stand-in/tray-menu.js');
  return { Menu: standIn.StandInMenu, Tray: standIn.createTrayClass(trays), nativeImage: standIn.nativeImage };
});
const { createTrayPresenter } = await import('../../main/adapters/tray.js');

const MIN = 60_000;
const START = Date.parse('2026-11-28T09:00:00Z');
const conn = (over: Partial<TrayConnection>): TrayConnection => ({ id: 'a', label: 'Acme', status: 'healthy', busy: false, lastVerifiedAt: START, expiresAt: null, nextRunAt: null, hasApplicationKey: true, ...over });
const model = (connections: TrayConnection[], paused = false) => (now: number) => buildTrayModel({ productName: 'Data2CRM Tray', version: '1.0.0', status: paused ? 'paused' : 'ok', summary: paused ? 'paused' : `${connections.length} connections · all healthy`, connections, paused, serviceKeyRejected: false, now } satisfies TrayState);

function presenter(platform: NodeJS.Platform) {
  const clock = createFakeClock(START);
  const tray = createTrayPresenter((status) => `/icons/${status}.png`, () => undefined, clock, platform);
  return { clock, tray, native: () => trays.at(-1)! };
}
const rowLabel = (t: StandInTray) => t.menu!.find(/^Acme —/).label;

describe('tray presenter', () => {
  it('Linux: one timer for the next label change, a new menu when the words change, none armed without times', () => {
    const { clock, tray, native } = presenter('linux');
    tray.show(model([conn({})]));
    expect(rowLabel(native())).toBe('Acme — healthy · verified just now');
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextTimerAt()).toBe(MIN);
    clock.advance(MIN);
    expect(rowLabel(native())).toBe('Acme — healthy · verified 1 min ago');
    expect(native().menusSet).toBe(2);
    // Showing the same state again neither rebuilds nor adds a timer.
    tray.show(model([conn({})]));
    expect(native().menusSet).toBe(2);
    expect(clock.pendingTimers()).toBe(1);
    // Nothing relative: no timer, and time passing changes nothing.
    tray.show(model([conn({ status: 'needs-reauthorization' })]));
    expect(clock.pendingTimers()).toBe(0);
    const menus = native().menusSet;
    clock.advance(24 * 60 * MIN);
    expect(native().menusSet).toBe(menus);
    tray.destroy();
    expect(native().isDestroyed()).toBe(true);
  });

  it('Linux, 12 rows over an idle hour with checks: the native menu is rebuilt once a minute at most (times, and checks that change nothing else, shown together on the minute), a change of state at once, and never while paused with nothing changing', () => {
    const { clock, tray, native } = presenter('linux');
    // Rows verified at phases of their own, a third renewing by themselves ("renews in 78 min"), as keep-alive leaves them.
    let rows = Array.from({ length: 12 }, (_, i) =>
      conn({ id: `c${i}`, label: `Org ${i}`, lastVerifiedAt: START - i * 73_000 - 1_234, ...(i % 3 === 0 ? { mode: 'external' as const, expiresAt: START + 75 * MIN + i * 61_123 } : {}) }),
    );
    tray.show(model(rows));
    const start = native().menusSet;
    const label = (i: number) => native().menu!.find(new RegExp(`^(⚠ )?Org ${i} —`)).label;
    // Every 75 s keep-alive checks one row at its own phase (busy for 0.4 s, then verified again);
    // each change is shown as main shows every delta.
    for (let step = 1; step <= 48; step++) {
      clock.advance(75_000 - 400);
      rows = rows.map((c, j) => (j === step % 12 ? { ...c, busy: true } : c));
      tray.show(model(rows));
      clock.advance(400);
      rows = rows.map((c, j) => (j === step % 12 ? { ...c, busy: false, lastVerifiedAt: clock.now() } : c));
      tray.show(model(rows));
    }
    const rebuilds = native().menusSet - start;
    expect(clock.now() - START).toBe(60 * MIN);
    expect(rebuilds).toBeLessThanOrEqual(60);
    // Times did move: the rows read true to the minute.
    expect(rebuilds).toBeGreaterThan(30);
    clock.advance(MIN);
    expect(label(1)).toMatch(/^Org 1 — healthy · verified \d+ min ago$/);
    expect(label(3)).toMatch(/^Org 3 — healthy · renews in \d+ min$/);

    // A change of state is not a time: it shows at once.
    const menus = native().menusSet;
    rows = rows.map((c, j) => (j === 7 ? { ...c, status: 'needs-reauthorization' as const } : c));
    tray.show(model(rows));
    expect(native().menusSet).toBe(menus + 1);
    expect(label(7)).toBe('⚠ Org 7 — needs re-authorization');

    // Paused: no row shows a time; nothing is armed and an idle hour rebuilds nothing.
    tray.show(model(rows, true));
    const paused = native().menusSet;
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(60 * MIN);
    expect(native().menusSet).toBe(paused);
    tray.destroy();
  });

  it('macOS: the open menu takes the current words when it is about to show (labels changed in place)', () => {
    const { clock, tray, native } = presenter('darwin');
    tray.show(model([conn({})]));
    const menu = native().menu!;
    // Time passed without the timer firing yet (e.g. the Mac slept): opening the menu refreshes it.
    clock.jumpWall(3 * MIN);
    menu.open();
    expect(native().menu).toBe(menu);
    expect(rowLabel(native())).toBe('Acme — healthy · verified 3 min ago');
    expect(native().menusSet).toBe(1);
    tray.destroy();
  });

  it('Windows: a right-click refreshes the words before the menu pops up', () => {
    const { clock, tray, native } = presenter('win32');
    tray.show(model([conn({})]));
    clock.jumpWall(2 * MIN);
    expect(native().rightClick()!.find(/^Acme —/).label).toBe('Acme — healthy · verified 2 min ago');
    tray.destroy();
  });
});
