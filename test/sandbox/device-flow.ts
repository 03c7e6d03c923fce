/**
 * Salesforce's OAuth 2.0 device flow, as the sandbox emulates it: the device asks the token
 * endpoint for a code (`response_type=device_code`), the user enters the code at
 * `/setup/connect` (or approves it on the control page), and the device polls the token endpoint
 * (`grant_type=device`) until it gets tokens, is told to slow down, is denied, or the code expires.
 */
import { randomInt } from 'node:crypto';
import type { Route, RouteContext } from './context.js';
import { escapeHtml, parseForm, sendHtml, sendJson } from './http-util.js';
import { randomToken, type SandboxState } from './state.js';

export interface DeviceCodeRecord {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly clientId: string;
  readonly scope: string;
  readonly expiresAt: number;
  /** Polls closer together than this are told to slow down (RFC 8628 §3.5). */
  intervalMs: number;
  lastPollAt: number | null;
  decision: { kind: 'approved'; userId: string } | { kind: 'denied' } | null;
  used: boolean;
}

/** Salesforce's user codes are 8 letters and digits; ambiguous ones (0/O, 1/I) are left out here. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A device code lives 10 minutes (assumed: Salesforce does not document it). */
const DEVICE_CODE_LIFETIME_MS = 10 * 60_000;
/** Polls are allowed this much early: two clocks and a timer are never exact. */
const POLL_TOLERANCE_MS = 250;

export class DeviceAuthorizations {
  /** The interval the sandbox names (Salesforce says 5 seconds); tests may shorten it. */
  intervalMs = 5_000;
  private readonly byDeviceCode = new Map<string, DeviceCodeRecord>();

  constructor(private readonly state: SandboxState) {}

  issue(clientId: string, scope: string): DeviceCodeRecord {
    const userCode = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    const record: DeviceCodeRecord = { deviceCode: `M0dev${randomToken(40)}`, userCode, clientId, scope, expiresAt: this.state.now() + DEVICE_CODE_LIFETIME_MS, intervalMs: this.intervalMs, lastPollAt: null, decision: null, used: false };
    this.byDeviceCode.set(record.deviceCode, record);
    return record;
  }

  /** Codes still waiting for the user, newest first (the control page lists them). */
  pending(): DeviceCodeRecord[] {
    return [...this.byDeviceCode.values()].filter((r) => !r.decision && !r.used && r.expiresAt > this.state.now()).reverse();
  }

  byUserCode(userCode: string): DeviceCodeRecord | undefined {
    const wanted = userCode.replace(/[\s-]/g, '').toUpperCase();
    return this.pending().find((r) => r.userCode === wanted);
  }

  /** The user's decision at the verification page; false when the code is unknown or used up. */
  decide(userCode: string, decision: DeviceCodeRecord['decision']): boolean {
    const record = this.byUserCode(userCode);
    if (!record) return false;
    record.decision = decision;
    return true;
  }

  get(deviceCode: string): DeviceCodeRecord | undefined {
    return this.byDeviceCode.get(deviceCode);
  }
}

const oauthError = (ctx: RouteContext, error: string, description: string) => sendJson(ctx.res, 400, { error, error_description: description });

/** `response_type=device_code` on the token endpoint: the codes and where to enter them. */
export function startDeviceAuthorization(ctx: RouteContext, form: Record<string, string>): void {
  const app = ctx.state.apps.get(form['client_id'] ?? '');
  if (!app) return oauthError(ctx, 'invalid_client_id', 'client identifier invalid');
  const record = ctx.state.devices.issue(app.clientId, form['scope'] ?? 'api refresh_token');
  sendJson(ctx.res, 200, { device_code: record.deviceCode, user_code: record.userCode, verification_uri: `${ctx.origin}/setup/connect`, interval: Math.round(record.intervalMs / 1000) });
}

/**
 * `grant_type=device`: pending until the user decides; too fast is slow_down (and the interval
 * grows by 5 s, as RFC 8628 says); then tokens once, or access_denied, or expired_token.
 */
export function pollDevice(ctx: RouteContext, form: Record<string, string>, grant: (userId: string, clientId: string, scope: string) => void): void {
  const record = ctx.state.devices.get(form['code'] ?? '');
  if (!record || record.clientId !== form['client_id']) return oauthError(ctx, 'invalid_grant', 'invalid device code');
  const now = ctx.state.now();
  if (record.used) return oauthError(ctx, 'invalid_grant', 'device code already used');
  if (record.expiresAt <= now) return oauthError(ctx, 'expired_token', 'the device code has expired');
  const early = record.lastPollAt !== null && now - record.lastPollAt < record.intervalMs - POLL_TOLERANCE_MS;
  record.lastPollAt = now;
  if (early) {
    record.intervalMs += 5_000;
    return oauthError(ctx, 'slow_down', 'polling too frequently');
  }
  if (!record.decision) return oauthError(ctx, 'authorization_pending', 'the user has not yet approved this device');
  if (record.decision.kind === 'denied') return oauthError(ctx, 'access_denied', 'end-user denied authorization');
  record.used = true;
  grant(record.decision.userId, record.clientId, record.scope);
}

function verificationPage(options: { message?: string; error?: string; userCode?: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connect a device (sandbox)</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto}label{display:block;margin:.6rem 0}input{width:100%;padding:.4rem}.err{color:#b00}</style></head>
<body><main><h1>Connect a device (sandbox)</h1>
${options.message ? `<p role="status">${escapeHtml(options.message)}</p>` : ''}${options.error ? `<p class="err" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="/setup/connect">
<label>Code <input type="text" name="user_code" value="${escapeHtml(options.userCode ?? '')}" autocomplete="off" required></label>
<label>Username <input type="text" name="username" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form></main></body></html>`;
}

/** The verification page the device tells the user to open (Salesforce's is /setup/connect). */
function connectPage(ctx: RouteContext): void {
  if (ctx.req.method === 'GET') return sendHtml(ctx.res, 200, verificationPage({ userCode: ctx.url.searchParams.get('user_code') ?? '' }));
  const form = parseForm(ctx.body);
  const userCode = form['user_code'] ?? '';
  if (!ctx.state.devices.byUserCode(userCode)) return sendHtml(ctx.res, 200, verificationPage({ error: 'That code is not valid or has expired. Check the code your device shows.' }));
  if (form['decision'] === 'deny') {
    ctx.state.devices.decide(userCode, { kind: 'denied' });
    return sendHtml(ctx.res, 200, verificationPage({ message: 'Denied. The device gets no access.' }));
  }
  const user = ctx.state.users.get(form['username'] ?? '');
  if (!user || user.password !== form['password'] || !user.active) return sendHtml(ctx.res, 200, verificationPage({ userCode, error: 'Please check your username and password.' }));
  ctx.state.devices.decide(userCode, { kind: 'approved', userId: user.userId });
  sendHtml(ctx.res, 200, verificationPage({ message: 'Allowed. Return to your device: it finishes the sign-in by itself.' }));
}

export const deviceRoutes: Route[] = [{ name: 'sf.device-connect', method: ['GET', 'POST'], pattern: /^\/setup\/connect$/, handler: connectPage }];
