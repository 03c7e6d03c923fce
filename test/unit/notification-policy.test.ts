import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../../main/core/keepalive/events.js';
import { createNotificationPolicy } from '../../main/core/keepalive/notification-policy.js';

let now = 1_000_000;
const policy = (renewed = false) => createNotificationPolicy({ now: () => now, renewedNotifications: () => renewed });
const event = (over: Partial<ConnectionEvent>): ConnectionEvent => ({ kind: 'status', connectionId: 'a', label: 'Acme', at: now, from: 'healthy', to: 'healthy', detail: null, consecutiveFailures: 0, ...over });

describe('notification policy', () => {
  it('notifies once on the transition into needs-reauthorization, with the dialog to open', () => {
    const p = policy();
    expect(p.decide([event({ to: 'needs-reauthorization', detail: 'Salesforce no longer accepts this sign-in.' })])).toEqual({
      title: 'Acme needs you',
      body: 'Salesforce no longer accepts this sign-in. Click to re-authorize.',
      connectionIds: ['a'],
      openDialogFor: 'a',
    });
    expect(p.decide([event({ from: 'needs-reauthorization', to: 'needs-reauthorization' })])).toBeNull();
  });

  it('pasted tokens (with or without their app\'s key) ask for new tokens, once: the click pastes them, never re-authorizes', () => {
    const p = policy();
    expect(p.decide([event({ to: 'needs-reauthorization', newTokensBy: 'paste', detail: 'Salesforce no longer accepts this sign-in: the sign-in was revoked or has expired. Paste new tokens.' })])).toMatchObject({
      body: 'Salesforce no longer accepts this sign-in: the sign-in was revoked or has expired. Click to paste new tokens.',
    });
  });

  it('a signed-in connection\'s reason says what to do once: its own "Authorize the connection again." becomes the click\'s', () => {
    const p = policy();
    expect(p.decide([event({ to: 'needs-reauthorization', detail: 'Salesforce no longer accepts this sign-in: the sign-in was revoked or has expired. Authorize the connection again.' })])).toMatchObject({
      body: 'Salesforce no longer accepts this sign-in: the sign-in was revoked or has expired. Click to re-authorize.',
    });
  });

  it('stays quiet for trouble the app retries, however many failures, until keep-alive marks it as lasting', () => {
    const p = policy();
    expect(p.decide([event({ to: 'retrying', consecutiveFailures: 1 })])).toBeNull();
    expect(p.decide([event({ from: 'retrying', to: 'degraded', consecutiveFailures: 30 })])).toBeNull();
    expect(p.decide([event({ from: 'retrying', to: 'degraded', consecutiveFailures: 3, lastingTrouble: true })])?.title).toBe('Acme keeps failing');
    expect(p.decide([event({ from: 'degraded', to: 'retrying', consecutiveFailures: 4, lastingTrouble: false })])).toBeNull();
  });

  it('"Salesforce refuses for now" is told once, as it begins, with what Salesforce said', () => {
    const p = policy();
    const detail = 'Salesforce refuses this sign-in for now (“ip restricted or invalid login hours”): outside the org’s login hours or from an IP address it does not allow. The app retries by itself.';
    expect(p.decide([event({ from: 'healthy', to: 'refused-for-now', detail })])).toMatchObject({ title: 'Salesforce refuses Acme for now', body: `${detail} Nothing to do unless it lasts.` });
    expect(p.decide([event({ from: 'refused-for-now', to: 'refused-for-now', detail, lastingTrouble: true })])).toBeNull();
  });

  it('an instance move is for the activity log, not a notification', () => {
    expect(policy().decide([event({ kind: 'moved', detail: 'Salesforce moved this org to https://eu50.my.salesforce.com' })])).toBeNull();
  });

  it('coalesces several connections into one notification', () => {
    const notice = policy().decide(['a', 'b', 'c', 'd', 'e'].map((id) => event({ connectionId: id, label: `Org ${id}`, to: 'needs-reauthorization' })));
    expect(notice).toMatchObject({ title: '5 connections need attention', body: 'Org a, Org b, Org c and 2 more. Click to review.', connectionIds: ['a', 'b', 'c', 'd', 'e'], openDialogFor: 'a' });
  });

  it('a burst of one consequence is told once: other connections join the fresh notice silently; a named one reaching it again, another consequence, or the end of the window is told', () => {
    const p = createNotificationPolicy({ now: () => now, burstMs: () => 60 * 60_000 });
    const needs = (id: string) => event({ connectionId: id, label: `Org ${id}`, to: 'needs-reauthorization' });
    expect(p.decide([needs('a')])?.title).toBe('Org a needs you');
    now += 20 * 60_000;
    expect(p.decide([needs('b')])).toBeNull();
    now += 20 * 60_000;
    expect(p.decide([needs('c'), needs('d')])).toBeNull();
    // Another consequence is its own notice.
    expect(p.decide([event({ connectionId: 'e', label: 'Org e', to: 'application-deleted' })])?.title).toBe('Org e was deleted in Data2CRM');
    // "a" was fixed and needs the user again: told, and it starts a new burst.
    expect(p.decide([needs('a')])?.title).toBe('Org a needs you');
    now += 60 * 60_000;
    expect(p.decide([needs('f')])?.title).toBe('Org f needs you');
  });

  it('respects snooze until it ends', () => {
    const p = policy();
    p.snooze('a', 60 * 60_000);
    expect(p.decide([event({ to: 'application-deleted' })])).toBeNull();
    now += 60 * 60_000 + 1;
    expect(p.decide([event({ to: 'application-deleted' })])?.title).toBe('Acme was deleted in Data2CRM');
  });

  it('says nothing after a successful renewal unless "renewed" notifications are on', () => {
    expect(policy().decide([event({ kind: 'renewed', from: 'retrying', to: 'healthy' })])).toBeNull();
    expect(policy().decide([event({ kind: 'renewed', from: 'healthy', to: 'healthy' })])).toBeNull();
    expect(policy(true).decide([event({ kind: 'renewed', from: 'needs-reauthorization', to: 'healthy' })])?.title).toBe('Acme is working again');
  });
});
