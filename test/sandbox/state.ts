/**
 * The sandbox's world: Salesforce users, connected apps, tokens, browser sessions, and Data2CRM
 * user keys and applications. Time comes from `now()`, which tests can shift.
 */
import { randomBytes } from 'node:crypto';
import { DeviceAuthorizations } from './device-flow.js';

export interface SandboxUser {
  readonly username: string;
  readonly password: string;
  readonly userId: string;
  readonly orgId: string;
  readonly displayName: string;
  active: boolean;
}

export interface ConnectedApp {
  readonly clientId: string;
  readonly clientSecret?: string;
  /** When true a token call without the right client_secret fails with invalid_client. */
  requireSecret: boolean;
  /** Exact callback URLs; the authorize endpoint refuses any other redirect_uri. */
  readonly callbackUrls: string[];
  /** The OAuth scopes the app allows; absent: any. A sign-in asking for more is refused (invalid_scope). */
  readonly scopes?: readonly string[];
}

/**
 * Which callback URLs the sandbox's Salesforce takes: `any` (a Connected App lists loopback http
 * too), or `https-or-custom` (an External Client App: "must use secure HTTPS or a custom URI
 * scheme", so an http callback never matches one it lists).
 */
export type CallbackPolicy = 'any' | 'https-or-custom';

export interface AccessTokenRecord {
  readonly userId: string;
  readonly clientId: string;
  readonly issuedAt: number;
  expiresAt: number;
  readonly refreshToken?: string;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  readonly userId: string;
  readonly clientId: string;
  revoked: boolean;
}

export interface AuthCodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly userId: string;
  readonly scope: string;
  readonly expiresAt: number;
  used: boolean;
}

export interface Application {
  readonly key: string;
  readonly userKey: string;
  type: 'Salesforce' | 'SalesforceSandbox';
  authorization: 'oAuth-internal' | 'oAuth-external-refresh';
  description: string;
  credentials: Record<string, string>;
  readonly createdAt: number;
}

/** The client id Data2CRM's own sign-in helper uses for oAuth-internal tokens. */
export const DATA2CRM_INTERNAL_CLIENT = 'data2crm-internal-app';

export function randomToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}

export class SandboxState {
  /** Moves the sandbox's time (tests make it follow their fake clock's real time). */
  clockOffsetMs = 0;
  /** How far the services' clock is off the app's (issued_at, exp and expiries all use it). */
  serverClockSkewMs = 0;
  /** Salesforce session lifetime: an access token dies this long after it was issued. */
  sessionLifetimeMs = 2 * 60 * 60 * 1000;
  /** Refresh-token rotation: each refresh returns a new refresh token and kills the old one. */
  rotation = false;
  callbackPolicy: CallbackPolicy = 'any';
  /** Let a sign-in page through without input while the browser's sandbox session is valid. */
  autoApprove = true;
  /**
   * Salesforce keeps at most 5 approvals (refresh tokens) per user per connected app; a sixth
   * revokes the oldest. null: no limit (tests that sign one user in many times); `npm run sandbox`
   * and the tests of the limit set 5.
   */
  approvalLimit: number | null = null;
  /**
   * Salesforce moved the org to another instance (a migration, a My Domain change): token answers
   * name this origin as `instance_url`, and Data2CRM's calls through an application that still
   * holds another instance fail. null: the sandbox's own origin.
   */
  instanceOrigin: string | null = null;
  /** The org's login hours or IP ranges refuse every token request for now ("ip restricted or invalid login hours"). */
  refuseLogins = false;
  /** The next N token answers are 200s without `issued_at` (malformed for the client), though the grant and any rotation happened. */
  malformedTokenAnswers = 0;
  /** A strict RFC 7009 server: a revocation without client authentication is refused (Salesforce accepts one). */
  revokeNeedsClientAuth = false;
  readonly users = new Map<string, SandboxUser>();
  readonly apps = new Map<string, ConnectedApp>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  /** Browser sessions (cookie value → user and expiry). */
  readonly sessions = new Map<string, { userId: string; expiresAt: number }>();
  readonly userKeys = new Set<string>();
  readonly applications = new Map<string, Application>();
  /** Device-flow codes (device-flow.ts). */
  readonly devices = new DeviceAuthorizations(this);

  now(): number {
    // Whole milliseconds, as a real server's clock (issued_at is an integer string).
    return Math.round(Date.now() + this.clockOffsetMs + this.serverClockSkewMs);
  }

  /** The org's instance as token answers name it: the moved-to origin, else the sandbox's own. */
  instanceFor(origin: string): string {
    return this.instanceOrigin ?? origin;
  }

  userById(userId: string): SandboxUser | undefined {
    return [...this.users.values()].find((u) => u.userId === userId);
  }

  issueTokens(userId: string, clientId: string, withRefresh: boolean, refreshToken?: string) {
    const user = this.userById(userId);
    if (!user) throw new Error(`no user ${userId}`);
    let refresh = refreshToken;
    if (withRefresh && !refresh) {
      refresh = `5Aep861${randomToken(60)}`;
      this.refreshTokens.set(refresh, { userId, clientId, revoked: false });
      this.enforceApprovalLimit(userId, clientId);
    }
    const accessToken = `${user.orgId}!${randomToken(72)}`;
    const issuedAt = this.now();
    this.accessTokens.set(accessToken, {
      userId,
      clientId,
      issuedAt,
      expiresAt: issuedAt + this.sessionLifetimeMs,
      ...(refresh ? { refreshToken: refresh } : {}),
      revoked: false,
    });
    return { accessToken, refreshToken: refresh, issuedAt };
  }

  liveAccessToken(token: string | undefined): AccessTokenRecord | null {
    if (!token) return null;
    const record = this.accessTokens.get(token);
    if (!record || record.revoked || record.expiresAt <= this.now()) return null;
    const user = this.userById(record.userId);
    return user?.active ? record : null;
  }

  liveRefreshToken(token: string | undefined): RefreshTokenRecord | null {
    if (!token) return null;
    const record = this.refreshTokens.get(token);
    if (!record || record.revoked) return null;
    return this.userById(record.userId)?.active ? record : null;
  }

  /** A new approval beyond the limit revokes the oldest live ones of this user and app (Map order is age). */
  private enforceApprovalLimit(userId: string, clientId: string): void {
    if (this.approvalLimit === null) return;
    const live = [...this.refreshTokens.entries()].filter(([, r]) => r.userId === userId && r.clientId === clientId && !r.revoked).map(([token]) => token);
    for (const token of live.slice(0, Math.max(0, live.length - this.approvalLimit))) this.revokeRefreshToken(token);
  }

  revokeRefreshToken(token: string): boolean {
    const record = this.refreshTokens.get(token);
    if (!record) return false;
    record.revoked = true;
    for (const access of this.accessTokens.values()) if (access.refreshToken === token) access.revoked = true;
    return true;
  }

  startSession(userId: string): string {
    const id = randomToken(24);
    this.sessions.set(id, { userId, expiresAt: this.now() + this.sessionLifetimeMs });
    return id;
  }

  sessionUser(cookieHeader: string | undefined): SandboxUser | null {
    const id = /(?:^|;\s*)sbx_sid=([^;]+)/.exec(cookieHeader ?? '')?.[1];
    const session = id ? this.sessions.get(id) : undefined;
    if (!session || session.expiresAt <= this.now()) return null;
    const user = this.userById(session.userId);
    return user?.active ? user : null;
  }
}
