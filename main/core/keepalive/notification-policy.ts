/**
 * When to tell the user (pure, in the core): once per connection per transition into a state that
 * needs them, or into "Salesforce refuses for now"; for other trouble once, when it has lasted
 * long enough or costs Data2CRM its token (keep-alive marks that event, see trouble.ts), never
 * by a count of failures; never for a snoozed connection; several at once become one
 * notification; "renewed" only if the user wants it.
 */
import { NEEDS_USER, type ConnectionEvent } from './events.js';

export interface Notice {
  readonly title: string;
  readonly body: string;
  readonly connectionIds: readonly string[];
  /** Clicking opens the re-authorize / update dialog for this connection. */
  readonly openDialogFor: string | null;
  /** Clicking opens Settings → Account (the user key). */
  readonly openAccount?: boolean;
  /** Clicking opens the settings window (an app-wide problem its banner explains). */
  readonly openSettings?: boolean;
}

export interface NotificationPolicyOptions {
  readonly now: () => number;
  readonly renewedNotifications?: () => boolean;
}

export function createNotificationPolicy(options: NotificationPolicyOptions) {
  const snoozedUntil = new Map<string, number>();

  function wanted(event: ConnectionEvent): boolean {
    if ((snoozedUntil.get(event.connectionId) ?? 0) > options.now()) return false;
    if (event.kind === 'moved') return false;
    if (event.kind === 'renewed') return Boolean(options.renewedNotifications?.()) && (NEEDS_USER.has(event.from) || event.from === 'retrying' || event.from === 'refused-for-now');
    if (NEEDS_USER.has(event.to)) return !NEEDS_USER.has(event.from) || event.from !== event.to;
    if (event.to === 'refused-for-now') return event.from !== 'refused-for-now';
    if (event.to === 'retrying' || event.to === 'degraded') return event.lastingTrouble === true;
    return false;
  }

  function describe(event: ConnectionEvent): { title: string; body: string } {
    if (event.kind === 'renewed') return { title: `${event.label} is working again`, body: 'The connection was renewed.' };
    if (event.to === 'needs-reauthorization') return { title: `${event.label} needs you`, body: `${event.detail ?? 'Salesforce no longer accepts this connection.'} Click to re-authorize.` };
    if (event.to === 'application-deleted') return { title: `${event.label} was deleted in Data2CRM`, body: 'Click to register it again or disconnect.' };
    if (event.to === 'refused-for-now') return { title: `Salesforce refuses ${event.label} for now`, body: `${event.detail ?? 'Salesforce refuses this sign-in for now.'} Nothing to do unless it lasts.` };
    return { title: `${event.label} keeps failing`, body: `${event.detail ?? 'Refreshing has been failing for a while.'} The app keeps retrying.` };
  }

  return {
    snooze(connectionId: string, forMs: number): void {
      snoozedUntil.set(connectionId, options.now() + forMs);
    },
    unsnooze(connectionId: string): void {
      snoozedUntil.delete(connectionId);
    },
    snoozedUntil: (connectionId: string): number | null => {
      const until = snoozedUntil.get(connectionId) ?? 0;
      return until > options.now() ? until : null;
    },
    /** The one notification for a batch of events (null: stay quiet). */
    decide(events: readonly ConnectionEvent[]): Notice | null {
      const chosen = new Map<string, ConnectionEvent>();
      for (const event of events) if (wanted(event)) chosen.set(event.connectionId, event);
      const list = [...chosen.values()];
      if (list.length === 0) return null;
      if (list.length === 1) return { ...describe(list[0]!), connectionIds: [list[0]!.connectionId], openDialogFor: list[0]!.connectionId };
      const names = list.map((e) => e.label);
      return {
        title: `${list.length} connections need attention`,
        body: `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}. Click to review.`,
        connectionIds: list.map((e) => e.connectionId),
        openDialogFor: list[0]!.connectionId,
      };
    },
  };
}

export type NotificationPolicy = ReturnType<typeof createNotificationPolicy>;
