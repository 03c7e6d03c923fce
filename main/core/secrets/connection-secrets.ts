/**
 * A connection's secrets, kept together in ONE keychain entry so a rotated pair is written in one
 * atomic step. The Data2CRM user key has its own entry.
 */
import { z } from 'zod';

export const USER_KEY_ACCOUNT = 'data2crm-user-key';

const connectionSecretsSchema = z.object({
  v: z.literal(1),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
});

export type ConnectionSecrets = Omit<z.infer<typeof connectionSecretsSchema>, 'v'>;

export function encodeSecrets(secrets: ConnectionSecrets): string {
  return JSON.stringify({ v: 1, ...secrets });
}

export function decodeSecrets(raw: string): ConnectionSecrets | null {
  try {
    const parsed = connectionSecretsSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    return { accessToken: parsed.data.accessToken, ...(parsed.data.refreshToken ? { refreshToken: parsed.data.refreshToken } : {}), ...(parsed.data.clientSecret ? { clientSecret: parsed.data.clientSecret } : {}) };
  } catch {
    return null;
  }
}
