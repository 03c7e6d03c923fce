import { describe, expect, it } from 'vitest';
import { activityShown, activityWords } from '../../shared/activity-words.js';
import type { ActivityEntryView } from '../../preload/contract.js';

const entry = (over: Partial<ActivityEntryView>): ActivityEntryView => ({ at: 0, connectionId: 'a', label: 'Acme', kind: 'status', from: 'healthy', to: 'healthy', message: null, repeats: 1, ...over });

describe('activity words', () => {
  it.each([
    [entry({ to: 'needs-reauthorization', message: 'Salesforce said the sign-in expired.' }), 'Needs you: re-authorize it (or paste new tokens) — Salesforce said the sign-in expired.'],
    [entry({ to: 'application-deleted' }), 'Needs you: deleted in Data2CRM, register it again'],
    [entry({ from: 'needs-reauthorization', to: 'healthy' }), 'Working again'],
    [entry({ from: 'connecting', to: 'healthy' }), 'Working'],
    [entry({ to: 'retrying' }), 'Problem: the app retries by itself'],
    [entry({ to: 'something-new' }), 'Changed state'],
    [entry({ kind: 'renewed' }), 'Renewed'],
    [entry({ kind: 'renewed', repeats: 12 }), 'Renewed (12 times)'],
    [entry({ kind: 'connected', message: 'With pasted tokens.' }), 'Connected — With pasted tokens.'],
    [entry({ kind: 'reauthorized' }), 'Re-authorized'],
    [entry({ kind: 'tokens-updated' }), 'New tokens pasted'],
    [entry({ kind: 'registered-again' }), 'Registered again in Data2CRM'],
    [entry({ kind: 'renamed', message: 'Was “Old”.' }), 'Renamed — Was “Old”.'],
    [entry({ kind: 'disconnected' }), 'Disconnected'],
  ])('%j reads "%s"', (e, words) => {
    expect(activityWords(e)).toBe(words);
    expect(words).not.toMatch(/needs-reauthorization|application-deleted|→/);
  });

  it('filters: problems are changes into a state other than working; renewals are new tokens by the app or the user', () => {
    const all = [entry({ kind: 'renewed' }), entry({ kind: 'reauthorized' }), entry({ kind: 'tokens-updated' }), entry({ kind: 'connected' }), entry({ to: 'retrying' }), entry({ from: 'retrying', to: 'healthy' }), entry({ kind: 'disconnected' })];
    expect(all.filter((e) => activityShown(e, 'renewals')).map((e) => e.kind)).toEqual(['renewed', 'reauthorized', 'tokens-updated']);
    expect(all.filter((e) => activityShown(e, 'problems')).map((e) => e.to)).toEqual(['retrying']);
    expect(all.filter((e) => activityShown(e, 'all'))).toHaveLength(all.length);
  });
});
