/**
 * The HTTP transport over a WHATWG fetch: Electron's net.fetch in the desktop app, Node's global
 * fetch where nothing else is given. Redirects are refused (fetch throws), and a body is read only
 * up to the size the exchange allows.
 */
import type { HttpExchange, HttpFetch, HttpReply, HttpTransport } from '../ports.js';

/** Stateless between whole-buffer decodes: one for every response. */
const utf8 = new TextDecoder();

export function fetchTransport(fetchImpl: HttpFetch): HttpTransport {
  return async (exchange: HttpExchange): Promise<HttpReply> => {
    const response = await fetchImpl(exchange.url, {
      method: exchange.method,
      headers: exchange.headers,
      ...(exchange.body !== undefined ? { body: exchange.body } : {}),
      signal: exchange.signal,
      redirect: 'error',
    });
    return { status: response.status, headers: response.headers, text: await readCapped(response, exchange.maxBytes) };
  };
}

/** Node's global fetch, looked up at each call (a test may replace it). */
export const globalFetchTransport: HttpTransport = fetchTransport((url, init) => fetch(url, init));

async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  // A declared, uncompressed length within the cap is all the body can be (HTTP ends it there):
  // read it whole. A compressed body may inflate past its declared length, so it is counted below.
  const encoding = response.headers.get('content-encoding');
  if (Number.isFinite(declared) && (encoding === null || encoding === 'identity')) return utf8.decode(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return utf8.decode(Buffer.concat(chunks));
}
