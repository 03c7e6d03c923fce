/** When the tray's labels next change: the one timer the tray arms (and none when nothing relative is shown). */
import { describe, expect, it } from 'vitest';
import { buildTrayModel, connectionStateLine, type TrayConnection, type TrayState } from '../../main/core/index.js';
import { nextLabelChangeAt } from '../../main/core/tray-model.js';
import { nextWordsChangeAt, stateLineChangesAt } from '../../shared/state-words.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.parse('2026-11-28T12:00:00Z');
const conn = (over: Partial<TrayConnection>): TrayConnection => ({ id: 'a', label: 'Acme', status: 'healthy', busy: false, lastVerifiedAt: null, expiresAt: null, nextRunAt: null, hasApplicationKey: true, ...over });
const state = (connections: TrayConnection[], over: Partial<TrayState> = {}): TrayState => ({ productName: 'Data2CRM Tray', version: '1.2.3', status: 'ok', summary: 's', connections, paused: false, serviceKeyRejected: false, now: NOW, ...over });

describe('next moment a label changes', () => {
  it.each([
    ['verified 4 min 10 s ago: at 5 min', conn({ lastVerifiedAt: NOW - 4 * MIN - 10_000 }), NOW + 50_000, 'healthy · verified 5 min ago'],
    ['verified just now: at 1 min', conn({ lastVerifiedAt: NOW }), NOW + MIN, 'healthy · verified 1 min ago'],
    ['verified 59 min ago: at 1 h', conn({ lastVerifiedAt: NOW - 59 * MIN }), NOW + MIN, 'healthy · verified 1 h ago'],
    ['verified 1 h 10 min ago: hourly from then on', conn({ lastVerifiedAt: NOW - 70 * MIN }), NOW + 50 * MIN, 'healthy · verified 2 h ago'],
    ['verified 3 days ago: daily', conn({ lastVerifiedAt: NOW - 3 * 24 * HOUR - HOUR }), NOW + 23 * HOUR, 'healthy · verified 4 days ago'],
    ['renews in 12 min: at 11 min', conn({ expiresAt: NOW + 11 * MIN + 30_000 }), NOW + 30_000, 'healthy · renews in 11 min'],
    ['renews in 1 min: "shortly" right after', conn({ expiresAt: NOW + MIN }), NOW + 1, 'healthy · renews shortly'],
    ['renews shortly: expired at expiry', conn({ expiresAt: NOW + 20_000 }), NOW + 20_000, 'token expired just now'],
    ['renews at the next run, then expired at expiry', conn({ expiresAt: NOW + 90_000, nextRunAt: NOW + 10_000 }), NOW + 10_000, 'healthy · renews shortly'],
    ['pasted token expires in 3 days', conn({ mode: 'manual', expiresAt: NOW + 3 * 24 * HOUR }), NOW + MIN, 'healthy · token expires in 2 days'],
    ['retrying in 2 min', conn({ status: 'retrying', nextRunAt: NOW + 2 * MIN }), NOW + MIN, 'retrying in 1 min'],
  ])('%s', (_, c, at, after) => {
    const before = connectionStateLine(c, NOW);
    expect(stateLineChangesAt(c, NOW)).toBe(at);
    // The words hold until that moment and differ from it on.
    expect(connectionStateLine(c, at - 1)).toBe(before);
    expect(connectionStateLine(c, at)).toBe(after);
  });

  it.each([
    ['needs re-authorization', conn({ status: 'needs-reauthorization', lastVerifiedAt: NOW - MIN, expiresAt: NOW + MIN })],
    ['application deleted', conn({ status: 'application-deleted', lastVerifiedAt: NOW - MIN })],
    ['healthy, never verified', conn({})],
    ['busy', conn({ busy: true, lastVerifiedAt: NOW - MIN })],
    ['retrying with no planned run', conn({ status: 'retrying' })],
  ])('no time in the words (%s): null, and the words stay for days', (_, c) => {
    expect(stateLineChangesAt(c, NOW)).toBeNull();
    expect(connectionStateLine(c, NOW + 5 * 24 * HOUR)).toBe(connectionStateLine(c, NOW));
  });

  it('paused or a rejected key hides the times: null', () => {
    const c = conn({ lastVerifiedAt: NOW - MIN });
    expect(stateLineChangesAt(c, NOW, { paused: true })).toBeNull();
    expect(stateLineChangesAt(c, NOW, { serviceKeyRejected: true })).toBeNull();
  });

  it('for any time, the words stay the same until the moment said and change then (past and future, over 3 days)', () => {
    for (let offset = -3 * 24 * HOUR; offset <= 3 * 24 * HOUR; offset += 7 * MIN + 13_001) {
      const c = offset <= 0 ? conn({ lastVerifiedAt: NOW + offset }) : conn({ mode: 'manual', expiresAt: NOW + offset });
      const at = nextWordsChangeAt(NOW + offset, NOW);
      expect(at).toBeGreaterThan(NOW);
      expect(connectionStateLine(c, at - 1)).toBe(connectionStateLine(c, NOW));
      expect(connectionStateLine(c, at)).not.toBe(connectionStateLine(c, NOW));
    }
  });

  it('the tray model: the earliest change among the rows it shows, null when none shows a time', () => {
    const rows = [conn({ id: 'a', lastVerifiedAt: NOW - 30_000 }), conn({ id: 'b', status: 'retrying', nextRunAt: NOW + 10 * MIN + 20_000 })];
    expect(nextLabelChangeAt(state(rows))).toBe(NOW + 20_000);
    expect(buildTrayModel(state(rows)).nextChangeAt).toBe(NOW + 20_000);
    expect(buildTrayModel(state([conn({ status: 'needs-reauthorization' })])).nextChangeAt).toBeNull();
    expect(buildTrayModel(state([])).nextChangeAt).toBeNull();
    expect(buildTrayModel(state(rows, { paused: true })).nextChangeAt).toBeNull();
  });

  it('rows not in the menu (past the first 12) arm nothing', () => {
    const hidden = Array.from({ length: 12 }, (_, i) => conn({ id: `n${i}`, status: 'needs-reauthorization' }));
    expect(nextLabelChangeAt(state([...hidden, conn({ id: 'z', lastVerifiedAt: NOW })]))).toBeNull();
  });
});
