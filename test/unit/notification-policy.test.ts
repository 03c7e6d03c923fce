import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../../main/core/keepalive/events.js';
import { createNotificationPolicy } from '../../main/core/keepalive/notification-policy.js';

let now = 1_000_000;
const policy = (renewed = false) => createNotificationPolicy({ now: () => now, notifyAfterFailures: () => 3, renewedNotifications: () => renewed });
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

  it('stays quiet for transient trouble until it has lasted N runs, then says so once', () => {
    const p = policy();
    expect(p.decide([event({ to: 'retrying', consecutiveFailures: 1 })])).toBeNull();
    expect(p.decide([event({ from: 'retrying', to: 'retrying', consecutiveFailures: 2 })])).toBeNull();
    expect(p.decide([event({ from: 'retrying', to: 'degraded', consecutiveFailures: 3 })])?.title).toBe('Acme keeps failing');
    expect(p.decide([event({ from: 'degraded', to: 'retrying', consecutiveFailures: 4 })])).toBeNull();
  });

  it('coalesces several connections into one notification', () => {
    const notice = policy().decide(['a', 'b', 'c', 'd', 'e'].map((id) => event({ connectionId: id, label: `Org ${id}`, to: 'needs-reauthorization' })));
    expect(notice).toMatchObject({ title: '5 connections need attention', body: 'Org a, Org b, Org c and 2 more. Click to review.', connectionIds: ['a', 'b', 'c', 'd', 'e'], openDialogFor: 'a' });
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
