/**
 * A connection's secrets, kept together in ONE keychain entry so a rotated pair is written in one
 * atomic step. The Data2CRM user key has its own entry.
 *
 * The entry also carries the connection's non-secret metadata (`meta`), written at connect time:
 * if the app dies between the keychain write and the settings save, or the record is later set
 * aside, the entry alone is enough to rebuild the record (see connections/orphans.ts). Entries
 * written before it was added have no `meta`; a damaged `meta` costs only the metadata.
 */
import { z } from 'zod';
import { LIMITS } from '../../../preload/contract.js';
import { connectedAppSchema } from '../settings/schema.js';

export const USER_KEY_ACCOUNT = 'data2crm-user-key';

const nullableText = z.string().max(300).nullable();
/** An address as the app writes one: a URL no longer than any address the app accepts. */
const address = z.string().max(LIMITS.host).url();

export const entryMetaSchema = z.object({
  label: z.string().min(1).max(100),
  mode: z.enum(['internal', 'external', 'manual']),
  crmType: z.enum(['Salesforce', 'SalesforceSandbox']),
  loginBaseUrl: address,
  instanceUrl: address,
  orgId: nullableText,
  userId: nullableText,
  username: nullableText,
  connectedApp: connectedAppSchema.nullable(),
  /** Known once Data2CRM registered the application (a second write after the registration). */
  applicationKey: z.string().min(1).max(200).nullable(),
  createdAt: z.number(),
});
export type EntryMeta = z.infer<typeof entryMetaSchema>;

const connectionSecretsSchema = z.object({
  v: z.literal(1),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  meta: z.unknown().optional(),
});

export type ConnectionSecrets = {
  accessToken: string;
  refreshToken?: string;
  clientSecret?: string;
  meta?: EntryMeta;
  /** Read only: the entry has metadata, but not in the shape the app writes (it is never written back). */
  metaUnreadable?: true;
};

/** Only the fields the app writes: a flag read from an entry is never stored. */
export function encodeSecrets({ accessToken, refreshToken, clientSecret, meta }: ConnectionSecrets): string {
  return JSON.stringify({ v: 1, accessToken, refreshToken, clientSecret, meta });
}

export function decodeSecrets(raw: string): ConnectionSecrets | null {
  try {
    const parsed = connectionSecretsSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    const meta = entryMetaSchema.safeParse(parsed.data.meta);
    return {
      accessToken: parsed.data.accessToken,
      ...(parsed.data.refreshToken ? { refreshToken: parsed.data.refreshToken } : {}),
      ...(parsed.data.clientSecret ? { clientSecret: parsed.data.clientSecret } : {}),
      ...(meta.success ? { meta: meta.data } : parsed.data.meta !== undefined ? { metaUnreadable: true as const } : {}),
    };
  } catch {
    return null;
  }
}
