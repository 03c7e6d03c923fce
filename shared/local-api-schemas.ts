/**
 * The local API's schemas (see local-api.ts for the protocol): a request names an operation and
 * its argument. An operation is a window's IPC channel, with the very schemas of
 * preload/contract.ts, or one of the few only the command line has (below). Which channels the
 * command line may call, and why each other one is refused, is main/local-api/access.ts.
 */
import { z } from 'zod';
import { actionResultSchema, invokeChannels, keeperNameSchema, SECRET_MAX, SEALED_MAX, stateDeltaSchema, type InvokeChannel } from '../preload/contract.js';

const id = z.string().regex(/^[a-z0-9-]{8,64}$/);

/** Operations only the command line has. The windows never get an application key; `key` does. */
export const commandLineOperations = {
  /** `key <connection>`: the one credential the command line prints, as "Copy application key" gives it. */
  'connections:application-key': {
    args: z.strictObject({ id }),
    result: z.union([z.strictObject({ ok: z.literal(true), key: z.string().min(1).max(SECRET_MAX) }), z.strictObject({ ok: z.literal(false), message: z.string().max(600) })]),
  },
  /** `connect`: the app shows its connect wizard (sign-in needs a window and a person). */
  'app:show-connect': { args: z.undefined(), result: actionResultSchema },
  /**
   * `handover`: seals the connection for a keeper; the command carries the sealed text (to the
   * keeper's socket, or into --out FILE) and prints the passphrase once. The windows never get the
   * sealed text: theirs is saved by main (handover:to-file).
   */
  'handover:begin': {
    args: z.strictObject({ id, to: keeperNameSchema }),
    result: z.union([z.strictObject({ ok: z.literal(true), sealed: z.string().max(SEALED_MAX), passphrase: z.string().max(100) }), z.strictObject({ ok: z.literal(false), message: z.string().max(600) })]),
  },
  /**
   * `handover --to-socket` again, on a hand-over under way whose receipt never came back (the
   * keeper stopped before it answered): a keeper answers the receipt of a package it took, by the
   * package's id. The receipt is no secret (it opens nothing; the app only checks it), but it comes
   * from the keeper that took the package, never from anyone who merely knows the id.
   */
  'handover:receipt': {
    args: z.strictObject({ handoverId: z.uuid() }),
    result: z.union([z.strictObject({ ok: z.literal(true), message: z.string().max(600), receipt: z.string().max(8), id }), z.strictObject({ ok: z.literal(false), message: z.string().max(600) })]),
  },
} as const;

/** `watch` (WATCH_OPERATION): the whole state first, then every delta, as a window gets them. */
export const watchEventSchema = stateDeltaSchema;

export type CommandLineOperation = keyof typeof commandLineOperations;
export type Operation = InvokeChannel | CommandLineOperation;
type Spec = { readonly args: z.ZodType; readonly result: z.ZodType };

/** The argument and result schemas of an operation, wherever it is defined. */
export function operationSpec(op: string): Spec | undefined {
  if (Object.hasOwn(commandLineOperations, op)) return commandLineOperations[op as CommandLineOperation];
  if (Object.hasOwn(invokeChannels, op)) return invokeChannels[op as InvokeChannel];
  return undefined;
}

export type OperationResult<O extends Operation> = z.output<(O extends CommandLineOperation ? (typeof commandLineOperations)[O] : O extends InvokeChannel ? (typeof invokeChannels)[O] : never)['result']>;
export type OperationArgs<O extends Operation> = z.input<(O extends CommandLineOperation ? (typeof commandLineOperations)[O] : O extends InvokeChannel ? (typeof invokeChannels)[O] : never)['args']>;

export const requestSchema = z.strictObject({ id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), op: z.string().max(80), args: z.unknown().optional() });
export type LocalApiRequest = z.infer<typeof requestSchema>;

/** refused: the command line may not do this (the message says why and where to do it instead). */
export type LocalApiErrorCode = 'invalid-request' | 'invalid-argument' | 'unknown-operation' | 'refused' | 'failed';
export type LocalApiEnvelope = { ok: true; value: unknown } | { ok: false; error: { code: LocalApiErrorCode; message: string } };

const errorCode = z.enum(['invalid-request', 'invalid-argument', 'unknown-operation', 'refused', 'failed']);
/** What the app writes back: one answer per request, and for `watch` any number of events. */
export const responseSchema = z.union([
  z.strictObject({ id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ id: z.number(), ok: z.literal(false), error: z.strictObject({ code: errorCode, message: z.string().max(1000) }) }),
  z.strictObject({ id: z.number(), event: z.unknown() }),
]);
export type LocalApiResponse = z.infer<typeof responseSchema>;

