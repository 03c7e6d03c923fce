import type { z } from 'zod';

/** JSON.parse that returns undefined instead of throwing on hostile or empty bodies. */
export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function parseWith<T>(schema: z.ZodType<T>, text: string): T | null {
  const parsed = schema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : null;
}
