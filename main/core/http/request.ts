/**
 * One HTTP exchange with a deadline and a size cap, turned into either the response text or a
 * transport failure (timeout, network). Interpreting statuses is each client's job.
 */
import type { HttpReply, HttpTransport } from '../ports.js';
import { redactValues } from '../secret-redactor.js';
import type { ApiFailure } from './api-failure.js';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Bodies larger than this are refused, not buffered (a hostile or broken server). */
  readonly maxBytes?: number;
  /**
   * The secrets this request carries (a token in a header, a client secret in the body): a
   * failing answer is cleaned of them before anyone reads it, so a server that echoes a value
   * while rejecting it cannot show it. Held secrets are removed anyway; this is for values the
   * app has not taken yet (a pasted token being checked), which are never remembered.
   */
  readonly secrets?: readonly (string | null | undefined)[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: HttpReply['headers'];
  readonly text: string;
}

export type HttpOutcome = { ok: true; response: HttpResponse } | { ok: false; error: ApiFailure };

const DEFAULT_MAX_BYTES = 1024 * 1024;

export async function sendRequest(transport: HttpTransport, request: HttpRequest): Promise<HttpOutcome> {
  // The deadline's timer ends with the exchange (AbortSignal.timeout's lived its whole 15 s, a
  // timer and a signal per request still held long after: ≈ 1.5 KB a connection in a round).
  const controller = new AbortController();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  deadline.unref?.();
  const cancel = () => controller.abort();
  if (request.signal?.aborted) cancel();
  else request.signal?.addEventListener('abort', cancel, { once: true });
  const host = hostOf(request.url);
  try {
    const reply = await transport({
      method: request.method,
      url: request.url,
      headers: request.headers ?? {},
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: controller.signal,
      maxBytes: request.maxBytes ?? DEFAULT_MAX_BYTES,
    });
    if (reply.text === null) {
      // An oversized error page still carries its status (a 503 stays retryable); an oversized success is useless.
      if (reply.status >= 300) return { ok: true, response: { status: reply.status, headers: reply.headers, text: '' } };
      return { ok: false, error: { kind: 'unexpected-response', status: reply.status, message: `${host} sent a response larger than the app accepts.` } };
    }
    // A success carries what was asked for (new tokens); only a failure's text is cleaned.
    const answer = reply.status >= 300 && request.secrets ? redactValues(reply.text, request.secrets) : reply.text;
    return { ok: true, response: { status: reply.status, headers: reply.headers, text: answer } };
  } catch (error) {
    if (timedOut) return { ok: false, error: { kind: 'timeout', message: `${host} did not answer within ${Math.round(request.timeoutMs / 1000)} s.` } };
    if (request.signal?.aborted) return { ok: false, error: { kind: 'network', message: `The request to ${host} was cancelled.` } };
    const code = causeOf(error);
    return { ok: false, error: { kind: 'network', message: networkWords(host, code), ...(code ? { code } : {}) } };
  } finally {
    clearTimeout(deadline);
    request.signal?.removeEventListener('abort', cancel);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

/** The system error code only (ECONNRESET, ENOTFOUND …): never the URL or any header. */
function causeOf(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' && /^[A-Z_]+$/.test(cause.code) ? cause.code : null;
}

/** What a person can do about it; the system's code stays in the failure (logs, diagnostics), not the sentence. */
export function networkWords(host: string, code: string | null): string {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Can't find the server ${host}. Check the address and your internet connection.`;
    case 'ECONNREFUSED':
      return `${host} refused the connection. Check the address and port, or try again when the service is running.`;
    default:
      return `Can't reach ${host}. Check your internet connection and try again.`;
  }
}
