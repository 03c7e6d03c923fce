import { z } from 'zod';
import { showable } from '../http/api-failure.js';

const issuedAt = z.string().regex(/^\d{10,16}$/).transform(Number);
/** A refresh token as Salesforce writes one: printable, no spaces, within our bounds. */
const refreshToken = z.string().min(10).max(4096).regex(/^[\x21-\x7e]+$/);

export const tokenResponseSchema = z.object({
  access_token: z.string().min(10).max(4096),
  refresh_token: refreshToken.optional(),
  instance_url: z.url(),
  id: z.url(),
  issued_at: issuedAt,
  scope: z.string().max(1000).optional(),
  token_type: z.string().optional(),
});

/** Only the refresh token of a token response, from an answer rejected as a whole. */
export const rotatedRefreshTokenSchema = z.object({ refresh_token: refreshToken });

/** A token response in our words. Salesforce sends no expiry: see issuedAt and introspect. */
export interface TokenSet {
  readonly accessToken: string;
  /** Present on the first grant, and on refresh when the org rotates refresh tokens. */
  readonly refreshToken?: string;
  readonly instanceUrl: string;
  readonly identityUrl: string;
  /** Milliseconds since the epoch, from the server's clock. */
  readonly issuedAt: number;
  readonly scope?: string;
}

/** The device flow's first answer (Salesforce: device_code, user_code, verification_uri, interval). */
export const deviceAuthorizationSchema = z.object({
  device_code: z.string().min(8).max(1000),
  user_code: z.string().regex(/^[A-Za-z0-9-]{4,20}$/),
  verification_uri: z.url().max(2000),
  interval: z.number().int().min(0).max(300).optional(),
  expires_in: z.number().int().min(1).max(24 * 3600).optional(),
});
export interface DeviceAuthorization {
  readonly deviceCode: string;
  /** What the user types at the verification address (not a secret on its own: it needs a signed-in user). */
  readonly userCode: string;
  readonly verificationUri: string;
  readonly intervalMs: number;
  /** Our wall clock. */
  readonly expiresAt: number;
}

export const oauthErrorSchema = z.object({ error: z.string().max(100), error_description: z.string().optional() });

export const introspectionSchema = z.object({ active: z.boolean(), exp: z.number().optional(), token_type: z.string().optional() });
export interface Introspection {
  readonly active: boolean;
  /** Expiry in milliseconds since the epoch, when the server says. */
  readonly expiresAt: number | null;
}

/** A Salesforce record id: letters and digits (15 or 18 of them; bounded loosely, the shape is what matters). */
export const salesforceId = z.string().regex(/^[A-Za-z0-9]{1,64}$/);
/** A name a Salesforce answer gives (a username, a display name): bounded, shown without disguising characters. */
export const serverName = z.string().max(300).transform(showable);

export const identitySchema = z.object({
  user_id: salesforceId,
  organization_id: salesforceId,
  username: serverName,
  display_name: serverName.optional(),
  email: z.string().optional(),
});
export interface Identity {
  readonly userId: string;
  readonly orgId: string;
  readonly username: string;
  readonly displayName: string;
}

export const restErrorSchema = z.array(z.object({ errorCode: z.string(), message: z.string().optional() }));
