/** Logger port over electron-log; every message and field is redacted before it is written. */
import log from 'electron-log/main';
import type { Logger } from '../core/ports.js';
import { redactText, redactValue } from '../core/redact.js';

export function createElectronLogger(scope: string): Logger {
  // No log.initialize(): it injects electron-log's preload into every session (the sign-in
  // window's too) for renderer logging, which the app does not use.
  const scoped = log.scope(scope);
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>) => {
      const text = redactText(message);
      if (fields) scoped[level](text, redactValue(fields));
      else scoped[level](text);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
