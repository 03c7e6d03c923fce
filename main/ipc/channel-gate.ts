/**
 * One call through its schemas: the argument parsed before the handler sees it, the result parsed
 * again on the way out (so a handler bug cannot leak a field the schema does not name). The IPC
 * dispatcher (windows) and the local API (command line) both run every call through this.
 */
import type { z } from 'zod';
import type { Logger } from '../core/ports.js';

export interface ChannelSpec {
  readonly args: z.ZodType;
  readonly result: z.ZodType;
}

export type GateOutcome = { ok: true; value: unknown } | { ok: false; error: { code: 'invalid-argument' | 'failed'; message: string } };

/**
 * JSON-like data only: a Date, Map, Set, typed array or class instance (which structured clone
 * carries over IPC) is refused, not read as an empty object. Nesting is bounded: no argument of
 * the contract goes deeper than a few levels.
 */
function isPlainValue(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (depth > 4) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return proto === Array.prototype && value.every((item) => isPlainValue(item, depth + 1));
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => isPlainValue(item, depth + 1));
}

/** `where` names the transport in log lines ("ipc", "local-api"). */
export async function runThroughSchemas(spec: ChannelSpec, handler: ((args: unknown) => unknown) | undefined, rawArgs: unknown, log: { logger: Logger; where: string; channel: string }): Promise<GateOutcome> {
  const { logger, where, channel } = log;
  if (!isPlainValue(rawArgs)) {
    logger.warn(`${where}: argument that is not plain data refused`, { channel });
    return { ok: false, error: { code: 'invalid-argument', message: 'The app accepts only plain values here.' } };
  }
  const parsed = spec.args.safeParse(rawArgs);
  if (!parsed.success) {
    // The issue paths only: values may be secrets pasted in the wrong field.
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(argument)').join(', ');
    logger.warn(`${where}: invalid argument refused`, { channel, where: fields });
    // The contract's own messages are written for people ("The user key looks too short."); they never quote the value.
    const firstPerField = new Map<string, string>();
    for (const issue of parsed.error.issues) if (!firstPerField.has(issue.path.join('.'))) firstPerField.set(issue.path.join('.'), issue.message);
    const message = [...new Set(firstPerField.values())].join(' ');
    return { ok: false, error: { code: 'invalid-argument', message } };
  }
  try {
    if (!handler) throw new Error(`no handler for ${channel}`);
    return { ok: true, value: spec.result.parse(await handler(parsed.data)) };
  } catch (error) {
    logger.error(`${where}: handler failed`, { channel, error: error instanceof Error ? error.name : 'unknown' });
    return { ok: false, error: { code: 'failed', message: 'The app could not complete this request.' } };
  }
}
