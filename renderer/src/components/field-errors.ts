import type { z } from 'zod';

/**
 * The contract's own words for each field (its schemas say what is wrong in plain words), the
 * first problem per field, keyed by the field's name: shown under that field, never in a summary.
 */
export function fieldErrors(error: z.ZodError, rename: (key: string) => string = (k) => k): Record<string, string> {
  const found: Record<string, string> = {};
  for (const issue of error.issues) found[rename(String(issue.path[0] ?? 'form'))] ??= issue.message;
  return found;
}

/**
 * The most an input holds: one character over the contract's limit. A paste far longer (5 MB in a
 * name field) is cut there, and the field still says it is too long: never silently shortened to
 * something that looks valid.
 */
export const capFor = (limit: number): number => limit + 1;
