/**
 * A hand-over left half-way (handover/stalled.ts): told once, through the notice policy, when it
 * passes its bound (15 min, or 5 min before the token it carried would expire, at least 1 min), and
 * then read as needing the person by every face (state-words: tray, windows, `status`).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createViewCache } from '../../main/core/connection-views.js';
import { handoverStallsAt, watchStalledHandovers } from '../../main/core/handover/stalled.js';
import type { ConnectionView } from '../../preload/contract.js';
import { createNotificationPolicy, type Notice } from '../../main/core/keepalive/notification-policy.js';
import { DEFAULT_REFRESH_SETTINGS, type ConnectionRecord } from '../../main/core/settings/schema.js';
import type { SettingsRepository } from '../../main/core/settings/settings-repository.js';
import { connectionStateLine, needsYouHere } from '../../shared/state-words.js';
import { createFakeClock } from '../support/fake-clock.js';
import { connectionRecord } from '../support/many-connections.js';

const MIN = 60_000;
const refresh = { ...DEFAULT_REFRESH_SETTINGS, sessionLifetimeMs: 2 * 60 * MIN };

function handingOver(label: string, since: number, fields: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return connectionRecord(label, { keptBy: { keeper: 'keeper-1', handoverId: randomUUID(), since, state: 'handing-over', receipt: 'ABCD1234' }, ...fields });
}

function watched(connections: ConnectionRecord[]) {
  const clock = createFakeClock();
  const notices: Notice[] = [];
  const changed: string[][] = [];
  const settings = { get: () => ({ connections, refresh }) } as unknown as SettingsRepository;
  const policy = createNotificationPolicy({ now: () => clock.now() });
  const watch = watchStalledHandovers({ settings, clock, policy, notify: (n) => notices.push(n), changed: (ids) => changed.push([...ids]) });
  return { clock, notices, changed, policy, watch };
}

describe('a hand-over left half-way', () => {
  it('stalls 15 min after it began; earlier when the token it carried would expire first, never under a minute', () => {
    const since = Date.parse('2026-11-28T09:00:00Z');
    expect(handoverStallsAt(handingOver('Internal', since), refresh)).toBe(since + 15 * MIN);
    // External, its token received 110 min before the hand-over, lives 120 min (dies at +10): told 5 min before it dies.
    expect(handoverStallsAt(handingOver('External', since, { mode: 'external', tokenReceivedAt: since - 110 * MIN }), refresh)).toBe(since + 5 * MIN);
    // Internal: Data2CRM renews it; only the bound applies, whatever its token times say.
    expect(handoverStallsAt(handingOver('Internal', since, { tokenReceivedAt: since - 119 * MIN }), refresh)).toBe(since + 15 * MIN);
    expect(handoverStallsAt(handingOver('Dying', since, { mode: 'external', tokenReceivedAt: since - 119 * MIN }), refresh)).toBe(since + MIN);
    expect(handoverStallsAt(connectionRecord('Here'), refresh)).toBeNull();
  });

  it('is told once, when due, by one notice that names it; the views look at it again', () => {
    const { clock, notices, changed, watch } = watched([]);
    const record = handingOver('Production', Date.parse('2026-11-28T09:00:00Z'));
    const { notices: told, changed: looked, clock: c2, watch: w2 } = watched([record]);
    w2.replan();
    c2.advance(15 * MIN - 1);
    expect(told).toEqual([]);
    c2.advance(1);
    expect(told).toEqual([expect.objectContaining({ title: 'Production needs you', connectionIds: [record.id], openDialogFor: record.id })]);
    expect(told[0]!.body).toContain('hand-over to keeper-1 has not finished');
    expect(looked).toEqual([[record.id]]);
    c2.advance(60 * MIN);
    w2.replan();
    expect(told).toHaveLength(1);
    // Nothing under way: no timer at all (an idle keeper or app stays idle).
    watch.replan();
    expect(clock.pendingTimers()).toBe(0);
    expect(notices).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('a snoozed connection stays quiet', () => {
    const record = handingOver('Production', Date.parse('2026-11-28T09:00:00Z'));
    const { clock, notices, policy, watch } = watched([record]);
    policy.snooze(record.id, 60 * MIN);
    watch.replan();
    clock.advance(20 * MIN);
    expect(notices).toEqual([]);
  });

  it('reads as needing you once stalled: “handing over to keeper-1 since … · needs you”', () => {
    const now = Date.parse('2026-11-28T09:30:00Z');
    const base = { status: 'healthy' as const, busy: false, lastVerifiedAt: null, expiresAt: null, nextRunAt: null };
    const waiting = { ...base, keptBy: { keeper: 'keeper-1', pending: true, since: now - 5 * MIN, stalled: false } };
    const stalled = { ...base, keptBy: { keeper: 'keeper-1', pending: true, since: now - 20 * MIN, stalled: true } };
    expect(connectionStateLine(waiting, now)).toMatch(/^handing over to keeper-1 since .+ · waiting for its receipt$/);
    expect(connectionStateLine(stalled, now)).toMatch(/^handing over to keeper-1 since .+ · needs you: finish it with its receipt or cancel it$/);
    expect(needsYouHere(waiting)).toBe(false);
    expect(needsYouHere(stalled)).toBe(true);
    expect(needsYouHere({ ...base, keptBy: { keeper: 'keeper-1', pending: false, stalled: true } })).toBe(false);
  });

  it('counts in the header and leads the tray’s rows once stalled; a kept or waiting one counts for nothing here', () => {
    const cache = createViewCache();
    const view = (id: string, keptBy: ConnectionView['keptBy']) => ({ id, status: 'healthy', keptBy }) as unknown as ConnectionView;
    cache.put(view('a-healthy-1', undefined));
    cache.put(view('b-kept-123', { keeper: 'keeper-1', pending: false }));
    cache.put(view('c-waiting-1', { keeper: 'keeper-1', pending: true, since: 1, stalled: false }));
    expect(cache.counts()).toMatchObject({ count: 3, needUser: 0 });
    expect(cache.put(view('c-waiting-1', { keeper: 'keeper-1', pending: true, since: 1, stalled: false }))).toBeNull();
    cache.put(view('c-waiting-1', { keeper: 'keeper-1', pending: true, since: 1, stalled: true }));
    expect(cache.counts()).toMatchObject({ count: 3, needUser: 1 });
    expect(cache.mostUrgent(1).map((v) => v.id)).toEqual(['c-waiting-1']);
    cache.remove('c-waiting-1');
    expect(cache.counts()).toMatchObject({ count: 2, needUser: 0 });
  });
});
