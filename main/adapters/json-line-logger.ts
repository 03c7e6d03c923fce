/**
 * Logger port for a server: one JSON object per line ({"time","level","msg",…fields}) for
 * journald and `docker logs`. Every message and field is redacted before it is written, as the
 * desktop logger does; errors become their name and message (never a stack or a request).
 */
import type { Logger } from '../core/ports.js';
import { redactText, redactValue } from '../core/redact.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function plain(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

export function createJsonLineLogger(write: (line: string) => void, options: { minLevel?: Level; now?: () => number } = {}): Logger {
  const min = ORDER[options.minLevel ?? 'info'];
  const now = options.now ?? Date.now;
  const line =
    (level: Level) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (ORDER[level] < min) return;
      const extra = fields ? (redactValue(plain(fields)) as Record<string, unknown>) : {};
      // time, level and msg first and never overwritten by a field of the same name.
      write(`${JSON.stringify({ ...extra, time: new Date(now()).toISOString(), level, msg: redactText(message) })}\n`);
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
