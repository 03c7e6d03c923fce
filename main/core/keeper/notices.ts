/**
 * How a keeper tells people: each notification the policy decides on (the tray's, word for word)
 * becomes one JSON log line and, when a webhook is set, one Slack-compatible message. Incoming
 * webhooks of Slack, Mattermost, Rocket.Chat and Discord's /slack endpoint all take `{"text"}`.
 */
import type { Notice } from '../keepalive/notification-policy.js';

/** Slack's three control characters in text (https://api.slack.com/reference/surfaces/formatting#escaping). */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The webhook's JSON body: the title in bold, the body below, the keeper named. */
export function webhookBody(notice: Notice, keeperName: string): { text: string } {
  return { text: `*${slackEscape(notice.title)}*\n${slackEscape(notice.body)}\n_${slackEscape(keeperName)} (Data2CRM keeper)_` };
}

/** The log line's fields: what happened and to which connections (ids, never secrets). */
export function noticeFields(notice: Notice): Record<string, unknown> {
  return { event: 'notice', title: notice.title, body: notice.body, connections: notice.connectionIds };
}

/** A webhook address: https, or http on loopback (a relay on the same host). */
export function checkWebhookUrl(text: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: 'The webhook is not a URL.' };
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return { ok: false, message: 'The webhook must be an https URL (http only on this machine: 127.0.0.1 or localhost).' };
  if (url.username || url.password) return { ok: false, message: 'Put no user name or password in the webhook URL.' };
  return { ok: true, url: url.toString() };
}
