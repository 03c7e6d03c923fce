import type { Logger } from '../../main/core/ports.js';
import { redactText, redactValue } from '../../main/core/redact.js';

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: unknown;
}

/** A real Logger implementation that keeps lines in memory, redacted exactly like the app's. */
export function createMemoryLogger(): Logger & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const write = (level: LoggedLine['level']) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message: redactText(message), ...(fields ? { fields: redactValue(fields) } : {}) });
  };
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
