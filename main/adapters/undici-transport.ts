/**
 * The keeper's HTTP transport: undici's `request` (the client inside Node's own fetch, without
 * the WHATWG Request/Response/stream layers). The same two calls cost about half the main
 * thread's CPU of Node's fetch (0.7 ms against 1.4 ms a call on loopback, measured 2026-12-07),
 * which a keeper making three calls per renewal for thousands of connections feels.
 * It behaves as the core's fetch transport does: redirects refused, a body never read past
 * `maxBytes` (a compressed one counted as it inflates), a failure thrown with the system's code.
 */
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import { request, type Dispatcher } from 'undici';
import type { HttpExchange, HttpReply, HttpTransport } from '../core/ports.js';

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const utf8 = new TextDecoder();

/** Drops a body unread: its socket is closed, and the 'aborted' error that follows is expected. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** A failure as fetch gives it: the system's code on `cause`, nothing of the URL or headers. */
function transportFailure(error: unknown, reason: string): Error {
  const code = (error as { code?: unknown } | null)?.code;
  return new Error(reason, { cause: typeof code === 'string' ? { code } : error });
}

export function createUndiciTransport(): HttpTransport {
  return async (exchange: HttpExchange): Promise<HttpReply> => {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(exchange.url, { method: exchange.method as Dispatcher.HttpMethod, headers: exchange.headers, body: exchange.body ?? null, signal: exchange.signal });
    } catch (error) {
      throw transportFailure(error, 'request failed');
    }
    const { statusCode, headers, body } = response;
    if (REDIRECTS.has(statusCode)) {
      discard(body);
      throw transportFailure(null, 'unexpected redirect');
    }
    const header = (name: string): string | null => {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    };
    let text: string | null;
    try {
      text = await readCapped(body, header, exchange.maxBytes);
    } catch (error) {
      throw transportFailure(error, 'reading the response failed');
    }
    return { status: statusCode, headers: { get: header }, text };
  };
}

async function readCapped(body: Dispatcher.ResponseData['body'], header: (name: string) => string | null, maxBytes: number): Promise<string | null> {
  const declared = Number(header('content-length') ?? NaN);
  if (declared > maxBytes) {
    discard(body);
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      discard(body);
      return null;
    }
    chunks.push(chunk);
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return inflated(raw, header('content-encoding'), maxBytes);
}

/** A compressed body (sent though nobody asked for it) inflated, never past the cap. */
function inflated(raw: Buffer, encoding: string | null, maxBytes: number): string | null {
  const options = { maxOutputLength: maxBytes };
  try {
    switch (encoding?.trim().toLowerCase()) {
      case undefined:
      case '':
      case 'identity':
        return utf8.decode(raw);
      case 'gzip':
      case 'x-gzip':
        return utf8.decode(gunzipSync(raw, options));
      case 'deflate':
        return utf8.decode(inflateSync(raw, options));
      case 'br':
        return utf8.decode(brotliDecompressSync(raw, options));
      default:
        throw new Error(`unsupported content-encoding ${encoding}`);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return null;
    throw error;
  }
}
