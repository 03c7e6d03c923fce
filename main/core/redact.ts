/**
 * The shape rules, the second net behind redaction by value (secret-redactor.ts, whose header
 * states the whole rule): fields whose name says "secret", and values with a token's shape
 * wherever they appear in text. Only shapes no identifier has: a Salesforce access token (an org
 * id, "!", the session), a Salesforce refresh token ("5Aep861…"), a JWT, a Bearer credential. A
 * long run of letters alone is no token: paths, hosts and ids stay readable.
 */
const SECRET_FIELD = /token|secret|password|user.?key|authorization|credential|code_verifier|^code$/i;

const TOKEN_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}/g, '[redacted]'],
  [/\b5Aep861[A-Za-z0-9._]{40,}/g, '[redacted]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[redacted]'],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=!-]{8,}/gi, '$1[redacted]'],
];

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return TOKEN_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** Last four characters only, for showing which secret is stored without showing it. */
export function fingerprint(secret: string): string {
  return secret.length <= 8 ? '…' : `…${secret.slice(-4)}`;
}
