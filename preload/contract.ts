/**
 * THE IPC contract. Every channel between the renderer and main is declared here once, with zod
 * schemas for its argument, its result and its events. main/ipc parses every incoming argument
 * (and every outgoing result) with these schemas; preload/api.ts derives the renderer's verbs
 * from the same map. Nothing here may carry a token, a refresh token, a client secret or the
 * Data2CRM user key: results hold masked fingerprints at most.
 */
import { z } from 'zod';

export const appInfoSchema = z.strictObject({
  name: z.string().min(1).max(100),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appStatusEventSchema = z.strictObject({
  status: z.enum(['ok', 'attention', 'error', 'busy']),
  summary: z.string().max(200),
});
export type AppStatusEvent = z.infer<typeof appStatusEventSchema>;

/** Request/response channels: renderer asks, main answers. */
export const invokeChannels = {
  'app:get-info': { args: z.undefined(), result: appInfoSchema },
} as const;

/** Event channels: main pushes, renderer listens. */
export const eventChannels = {
  'app:status': appStatusEventSchema,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeArgs<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['args']>;
export type InvokeResult<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['result']>;
export type EventPayload<C extends EventChannel> = z.output<(typeof eventChannels)[C]>;

/** What crosses the wire for every invoke: expected failures are values, not exceptions. */
export type IpcErrorCode = 'invalid-argument' | 'forbidden-sender' | 'unknown-channel' | 'failed';
export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: { code: IpcErrorCode; message: string } };

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name);
}
