/** Calls window.api's verbs in a page as the renderer (or a compromised one) can, with any arguments. */
import type { Page } from '@playwright/test';
import type { createApi } from '../../preload/api.js';

type Api = ReturnType<typeof createApi>;
type ResultVerb = 'setUserKey' | 'updateSettings' | 'connect' | 'testUserKey' | 'refreshNow' | 'reauthorize' | 'updateTokens';

export async function callApi<V extends ResultVerb>(page: Page, verb: V, ...args: Parameters<Api[V]>): Promise<{ ok: boolean; message?: string; field?: string }> {
  return page.evaluate(([v, a]) => (globalThis as unknown as { api: Record<string, (...x: unknown[]) => Promise<{ ok: boolean; message?: string }>> }).api[v]!(...a), [verb, args] as const);
}
