import { z } from 'zod';

const issuedAt = z.string().regex(/^\d{10,16}$/).transform(Number);

export const tokenResponseSchema = z.object({
  access_token: z.string().min(10).max(4096),
  refresh_token: z.string().min(10).max(4096).optional(),
  instance_url: z.url(),
  id: z.url(),
  issued_at: issuedAt,
  scope: z.string().max(1000).optional(),
  token_type: z.string().optional(),
});

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

export const identitySchema = z.object({
  user_id: z.string().min(1),
  organization_id: z.string().min(1),
  username: z.string(),
  display_name: z.string().optional(),
  email: z.string().optional(),
});
export interface Identity {
  readonly userId: string;
  readonly orgId: string;
  readonly username: string;
  readonly displayName: string;
}

export const restErrorSchema = z.array(z.object({ errorCode: z.string(), message: z.string().optional() }));
