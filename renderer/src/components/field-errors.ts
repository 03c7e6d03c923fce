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
