/**
 * The activity log's words: what happened to a connection, as a person would say it, never a raw
 * state name ("Needs you: re-authorize it", not "healthy → needs-reauthorization"). Pure, shared by
 * the window and its tests.
 */
import type { ActivityEntryView } from '../preload/contract.js';

/** What a change into each state means for the user. */
const BECAME: Record<string, string> = {
  connecting: 'Connecting',
  healthy: 'Working again',
  refreshing: 'Refreshing',
  retrying: 'Problem: the app retries by itself',
  degraded: 'Problem: the app retries by itself',
  'refused-for-now': 'Salesforce refuses for now (login hours or IP range): the app retries by itself',
  'needs-reauthorization': 'Needs you: re-authorize it (or paste new tokens)',
  'application-deleted': 'Needs you: deleted in Data2CRM, register it again',
  paused: 'Paused',
  disconnecting: 'Disconnecting',
};

const DID: Record<Exclude<ActivityEntryView['kind'], 'status' | 'renewed' | 'moved' | 'notice'>, string> = {
  connected: 'Connected',
  reauthorized: 'Re-authorized',
  'tokens-updated': 'New tokens pasted',
  'registered-again': 'Registered again in Data2CRM',
  renamed: 'Renamed',
  disconnected: 'Disconnected',
  'handed-over': 'Handed over to a keeper',
  received: 'Taken over in a hand-over',
  'handover-cancelled': 'Hand-over cancelled: kept here again',
};

/** "Renewed (12 times)", "Needs you: re-authorize it … — Salesforce said the sign-in expired." */
export function activityWords(e: ActivityEntryView): string {
  // The app's own notice (a damaged database set aside), or where Salesforce moved an org: the message says it all, written by the core.
  if (e.kind === 'notice') return e.message ?? '';
  if (e.kind === 'moved') return e.message ?? 'Salesforce moved this org to another instance';
  const line =
    e.kind === 'renewed'
      ? `Renewed${e.repeats > 1 ? ` (${e.repeats} times)` : ''}`
      : e.kind === 'status'
        ? e.to === 'healthy' && (e.from === 'connecting' || e.from === 'refreshing')
          ? 'Working'
          : (BECAME[e.to] ?? 'Changed state')
        : DID[e.kind];
  return e.message ? `${line} — ${e.message}` : line;
}

export type ActivityFilter = 'all' | 'problems' | 'renewals';

/** Problems: a change into any state but working, and the app's own notices. Renewals: new tokens, by the app or by the user. */
export function activityShown(e: ActivityEntryView, filter: ActivityFilter): boolean {
  if (filter === 'problems') return e.kind === 'notice' || (e.kind === 'status' && e.to !== 'healthy');
  if (filter === 'renewals') return e.kind === 'renewed' || e.kind === 'reauthorized' || e.kind === 'tokens-updated';
  return true;
}
