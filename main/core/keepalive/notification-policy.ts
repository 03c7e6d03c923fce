/**
 * When to tell the user (pure, in the core): once per connection per transition into a state that
 * needs them, or into "Salesforce refuses for now"; for other trouble once, when it has lasted
 * long enough or costs Data2CRM its token (keep-alive marks that event, see trouble.ts), never
 * by a count of failures; never for a snoozed connection; several at once become one
 * notification; "renewed" only if the user wants it.
 * One cause often hits many connections, each found at its own check ("Revoke all" in Salesforce,
 * a deleted Data2CRM account): a burst of one consequence is told once. After a notice for a
 * consequence, other connections reaching it while that notice is fresh (`burstMs`: by default the
 * longest check interval, within which every connection has been checked) join it silently; the
 * tray and the windows count them. A connection the notice named that reaches it again is told.
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
  /** How long a notice stays fresh: others of its consequence join it silently meanwhile. */
  readonly burstMs?: () => number;
}

/** The default freshness of a notice: the default verification interval (every connection checked once). */
export const NOTICE_FRESH_MS = 60 * 60_000;

/** What an event costs the user, whatever the connection: one notice per burst of each. */
function consequenceOf(event: ConnectionEvent): string {
  return event.kind === 'renewed' ? 'renewed' : NEEDS_USER.has(event.to) ? event.to : event.to === 'refused-for-now' ? event.to : 'lasting-trouble';
}

export function createNotificationPolicy(options: NotificationPolicyOptions) {
  const snoozedUntil = new Map<string, number>();
  /** Each consequence's latest notice: when, and which connections it stands for. */
  const bursts = new Map<string, { at: number; ids: Set<string> }>();
  const burstMs = options.burstMs ?? (() => NOTICE_FRESH_MS);

  /** Another connection reaching a consequence whose notice is still fresh: it joins it silently. */
  function joinsBurst(event: ConnectionEvent): boolean {
    const burst = bursts.get(consequenceOf(event));
    if (!burst || options.now() - burst.at >= burstMs() || burst.ids.has(event.connectionId)) return false;
    burst.ids.add(event.connectionId);
    return true;
  }

  function told(list: readonly ConnectionEvent[]): void {
    for (const consequence of new Set(list.map(consequenceOf))) {
      bursts.set(consequence, { at: options.now(), ids: new Set(list.filter((e) => consequenceOf(e) === consequence).map((e) => e.connectionId)) });
    }
  }

  function wanted(event: ConnectionEvent): boolean {
    if ((snoozedUntil.get(event.connectionId) ?? 0) > options.now()) return false;
    if (event.kind === 'moved') return false;
    if (event.kind === 'renewed') return Boolean(options.renewedNotifications?.()) && (NEEDS_USER.has(event.from) || event.from === 'retrying' || event.from === 'refused-for-now');
    if (NEEDS_USER.has(event.to)) return !NEEDS_USER.has(event.from) || event.from !== event.to;
    if (event.to === 'refused-for-now') return event.from !== 'refused-for-now';
    if (event.to === 'retrying' || event.to === 'degraded') return event.lastingTrouble === true;
    return false;
  }

  /** The reason, then what a click opens: pasted tokens are asked for again, a sign-in is done again. */
  function needsYouBody(event: ConnectionEvent): string {
    // The reason's own "Paste new tokens." becomes the click's: what to do is said once.
    if (event.newTokensBy === 'paste') return `${(event.detail ?? 'The pasted tokens no longer work.').replace(/ Paste new tokens\.$/, '')} Click to paste new tokens.`;
    return `${(event.detail ?? 'Salesforce no longer accepts this connection.').replace(/ Authorize the connection again\.$/, '')} Click to re-authorize.`;
  }

  function describe(event: ConnectionEvent): { title: string; body: string } {
    if (event.kind === 'renewed') return { title: `${event.label} is working again`, body: 'The connection was renewed.' };
    if (event.to === 'needs-reauthorization') return { title: `${event.label} needs you`, body: needsYouBody(event) };
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
    /**
     * Hand-overs left half-way (handover/stalled.ts): nobody renews these connections until the
     * person finishes or cancels. Told once per hand-over by the caller; a snoozed one stays quiet.
     */
    handoverStalled(list: readonly { connectionId: string; label: string; keeper: string; since: number }[]): Notice | null {
      const told = list.filter((h) => (snoozedUntil.get(h.connectionId) ?? 0) <= options.now());
      if (told.length === 0) return null;
      const first = told[0]!;
      const what = 'nobody renews it until you finish it with the keeper’s receipt or cancel it';
      if (told.length === 1) return { title: `${first.label} needs you`, body: `Its hand-over to ${first.keeper} has not finished: ${what}.`, connectionIds: [first.connectionId], openDialogFor: first.connectionId };
      const names = told.map((h) => h.label);
      return { title: `${told.length} hand-overs need you`, body: `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}: ${what.replace('it until', 'them until').replace('cancel it', 'cancel them')}.`, connectionIds: told.map((h) => h.connectionId), openDialogFor: first.connectionId };
    },
    /** The one notification for a batch of events (null: stay quiet). */
    decide(events: readonly ConnectionEvent[]): Notice | null {
      const chosen = new Map<string, ConnectionEvent>();
      for (const event of events) if (wanted(event)) chosen.set(event.connectionId, event);
      const list = [...chosen.values()].filter((event) => event.kind === 'renewed' || !joinsBurst(event));
      if (list.length === 0) return null;
      told(list);
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
