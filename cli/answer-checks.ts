/**
 * Whether what the app sent is something the command line understands: a frame of the protocol,
 * the result of an operation it called, a `watch` event, each checked against its one schema
 * (shared/local-api.ts, preload/contract.ts). Answers are input like any other.
 *
 * This file checks with zod. The bundle (scripts/build-cli.mjs) puts validators generated from
 * these very schemas at build time (zod → JSON Schema → ajv's standalone code) in its place: zod's
 * schemas cost more to build when the process starts than the rest of the command costs to run,
 * and `status` must answer in a blink. Tests run both (Vitest this file, the shell tier the bundle).
 */
import type { z } from 'zod';
import { operationSpec, responseSchema, watchEventSchema, type Operation } from '../shared/local-api-schemas.js';

/** Every operation the commands call (commands.ts); the bundle has a validator for each result. */
export const CALLED_OPERATIONS = ['app:get-info', 'state:get', 'connections:application-key', 'connections:refresh-now', 'automation:set-paused', 'connections:open-in-salesforce', 'app:show-connect', 'diagnostics:preview', 'handover:begin', 'handover:complete', 'handover:cancel', 'handover:receive', 'handover:receipt'] as const satisfies readonly Operation[];

/** The schemas the checks stand for, as the build turns them into validators. */
export const CHECKED_SCHEMAS: { readonly frame: z.ZodType; readonly delta: z.ZodType; readonly results: Readonly<Record<string, z.ZodType>> } = {
  frame: responseSchema,
  delta: watchEventSchema,
  results: Object.fromEntries(CALLED_OPERATIONS.map((op) => [op, operationSpec(op)!.result])),
};

export interface AnswerChecks {
  frame(value: unknown): boolean;
  result(op: string, value: unknown): boolean;
  delta(value: unknown): boolean;
}

export const checks: AnswerChecks = {
  frame: (value) => CHECKED_SCHEMAS.frame.safeParse(value).success,
  result: (op, value) => CHECKED_SCHEMAS.results[op]?.safeParse(value).success ?? false,
  delta: (value) => CHECKED_SCHEMAS.delta.safeParse(value).success,
};
