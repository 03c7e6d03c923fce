/**
 * The redaction step every log line and diagnostics export passes through. Two nets: fields whose
 * name says "secret", and values that look like tokens wherever they appear in text.
 */
const SECRET_FIELD = /token|secret|password|user.?key|authorization|credential|code_verifier|^code$/i;

// Salesforce access tokens ("00D…!…"), JWT-like and long opaque strings.
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /[A-Za-z0-9._~+/=-]{32,}/g,
];

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return TOKEN_PATTERNS.reduce((out, pattern) => out.replace(pattern, REDACTED), text);
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
