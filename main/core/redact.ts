/**
 * The pattern rules, the second net behind redaction by value (secret-redactor.ts): fields whose
 * name says "secret", and values that look like tokens wherever they appear in text. Connection
 * ids (UUIDs) are not secrets and stay readable, so diagnostics can tell connections apart.
 */
const SECRET_FIELD = /token|secret|password|user.?key|authorization|credential|code_verifier|^code$/i;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const LONG_RUN = /[A-Za-z0-9._~+/=-]{32,}/;

/** A long run that is long only because it holds connection ids is kept. */
const unlessIds = (match: string) => (LONG_RUN.test(match.replace(UUID, ' ')) ? REDACTED : match);

// Salesforce access tokens ("00D…!…"), JWT-like and long opaque strings.
const TOKEN_PATTERNS: ReadonlyArray<readonly [RegExp, (match: string) => string]> = [
  [/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}/g, () => REDACTED],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, () => REDACTED],
  [/[A-Za-z0-9._~+/=-]{32,}/g, unlessIds],
];

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return TOKEN_PATTERNS.reduce((out, [pattern, replace]) => out.replace(pattern, replace), text);
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
