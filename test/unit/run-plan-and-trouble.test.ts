/** The planning rule (run-plan.ts, token-lifetime.ts) and the notification rule (trouble.ts), as pure functions. */
import { describe, expect, it } from 'vitest';
import { externalRunPlan } from '../../main/core/keepalive/run-plan.js';
import { refreshMarginMs, refreshWindow } from '../../main/core/keepalive/token-lifetime.js';
import { nextTrouble, troubleMatters } from '../../main/core/keepalive/trouble.js';
import { DEFAULT_REFRESH_SETTINGS, type ConnectionRecord } from '../../main/core/settings/schema.js';
import { connectionRecord } from '../support/many-connections.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-28T09:00:00Z');
const refresh = DEFAULT_REFRESH_SETTINGS;
const token = (lifetime: number) => ({ tokenReceivedAt: T0, learnedLifetimeMs: lifetime });

describe('refresh margin and window', () => {
  it('the margin is the configured one, but never more than a tenth of the lifetime', () => {
    expect(refreshMarginMs({ learnedLifetimeMs: 2 * HOUR }, refresh)).toBe(10 * MIN);
    expect(refreshMarginMs({ learnedLifetimeMs: 15 * MIN }, refresh)).toBe(1.5 * MIN);
    expect(refreshMarginMs({ learnedLifetimeMs: 20 * MIN }, refresh)).toBe(2 * MIN);
    expect(refreshMarginMs({ learnedLifetimeMs: 2 * HOUR }, { ...refresh, skewMs: 5 * MIN })).toBe(5 * MIN);
  });

  it('the window ends the margin before the expiry and opens the jitter (at most a thirtieth of the lifetime) earlier', () => {
    expect(refreshWindow(token(2 * HOUR), refresh)).toEqual({ from: T0 + 2 * HOUR - 11 * MIN, until: T0 + 2 * HOUR - 10 * MIN });
    expect(refreshWindow(token(15 * MIN), refresh)).toEqual({ from: T0 + 13 * MIN, until: T0 + 13.5 * MIN });
    expect(refreshWindow({ tokenReceivedAt: null, learnedLifetimeMs: null }, refresh)).toBeNull();
  });
});

describe('the planning rule', () => {
  it('a verification due first is planned then, and its jitter stops at the refresh window\'s end', () => {
    expect(externalRunPlan(token(2 * HOUR), refresh, T0 + HOUR, null)).toEqual({ at: T0 + HOUR, latestAt: T0 + 110 * MIN });
  });

  it('the refresh is planned when its window opens, never inside the storm guard, and never jittered past expiry − margin', () => {
    expect(externalRunPlan(token(15 * MIN), refresh, T0 + HOUR, null)).toEqual({ at: T0 + 13 * MIN, latestAt: T0 + 13.5 * MIN });
    // The guard still holds (a refresh the user asked for moments ago): planned when it allows, not before.
    expect(externalRunPlan(token(15 * MIN), refresh, T0 + HOUR, T0 + 14 * MIN)).toEqual({ at: T0 + 14 * MIN, latestAt: T0 + 14 * MIN });
  });

  it('an unknown receipt time refreshes at the next run, once the guard allows it', () => {
    expect(externalRunPlan({ tokenReceivedAt: null, learnedLifetimeMs: null }, refresh, T0 + HOUR, null)).toEqual({ at: T0 + HOUR });
    expect(externalRunPlan({ tokenReceivedAt: null, learnedLifetimeMs: null }, refresh, T0 + HOUR, T0 + 2 * HOUR)).toEqual({ at: T0 + 2 * HOUR });
  });
});

describe('the notification rule: duration and consequence, never a count', () => {
  const external = (over: Partial<ConnectionRecord> = {}) => connectionRecord('Org 1', { mode: 'external', ...token(2 * HOUR), ...over });

  it('trouble that lasts under 30 min and leaves Data2CRM its token does not matter, however many failures', () => {
    expect(troubleMatters(external({ troubleSince: T0 + HOUR, consecutiveFailures: 50 }), T0 + HOUR + 29 * MIN, T0 + HOUR + 30 * MIN, refresh)).toBe(false);
  });

  it('it matters once it has lasted notifyAfterMs', () => {
    expect(troubleMatters(external({ troubleSince: T0 + HOUR }), T0 + HOUR + 30 * MIN, T0 + HOUR + 31 * MIN, refresh)).toBe(true);
    expect(troubleMatters(connectionRecord('Org 2', { troubleSince: T0 }), T0 + 30 * MIN, T0 + 31 * MIN, refresh)).toBe(true);
  });

  it('it matters sooner when the token Data2CRM holds (alive when the trouble began) runs out before the next try', () => {
    expect(troubleMatters(external({ troubleSince: T0 + 110 * MIN }), T0 + 115 * MIN, T0 + 121 * MIN, refresh)).toBe(true);
    expect(troubleMatters(external({ troubleSince: T0 + 110 * MIN }), T0 + 115 * MIN, T0 + 119 * MIN, refresh)).toBe(false);
    // Already dead when the trouble began (a sleep past the expiry): only its duration counts.
    expect(troubleMatters(external({ troubleSince: T0 + 3 * HOUR }), T0 + 3 * HOUR + MIN, T0 + 3 * HOUR + 2 * MIN, refresh)).toBe(false);
    // Data2CRM renews sign-in connections itself: no consequence of ours.
    expect(troubleMatters(connectionRecord('Org 3', { mode: 'internal', ...token(2 * HOUR), troubleSince: T0 + 110 * MIN }), T0 + 115 * MIN, T0 + 121 * MIN, refresh)).toBe(false);
  });

  it('told once per trouble; a success ends it; "refuses for now" was told as it began', () => {
    const start = nextTrouble(external(), { status: 'retrying', retrying: true, patch: {} }, T0 + HOUR, T0 + HOUR + 2_000, refresh);
    expect(start).toEqual({ fields: { troubleSince: T0 + HOUR, troubleTold: false }, tellNow: false });
    const lasting = nextTrouble(external(start.fields), { status: 'degraded', retrying: true, patch: {} }, T0 + HOUR + 31 * MIN, T0 + HOUR + 32 * MIN, refresh);
    expect(lasting).toEqual({ fields: { troubleSince: T0 + HOUR, troubleTold: true }, tellNow: true });
    expect(nextTrouble(external(lasting.fields), { status: 'retrying', retrying: true, patch: {} }, T0 + 2 * HOUR, T0 + 2 * HOUR + MIN, refresh).tellNow).toBe(false);
    expect(nextTrouble(external(lasting.fields), { status: 'healthy', retrying: false, patch: {} }, T0 + 2 * HOUR, T0 + 2 * HOUR, refresh)).toEqual({ fields: { troubleSince: null, troubleTold: false }, tellNow: false });
    const refused = nextTrouble(external(), { status: 'refused-for-now', retrying: true, patch: {} }, T0 + HOUR, T0 + 2 * HOUR, refresh);
    expect(refused).toEqual({ fields: { troubleSince: T0 + HOUR, troubleTold: true }, tellNow: false });
  });
});
