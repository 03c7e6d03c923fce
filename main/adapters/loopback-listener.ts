/**
 * RedirectListener on 127.0.0.1 (RFC 8252 loopback redirect). The redirect's fragment never
 * reaches a server, so the callback page posts `location.href` back; code-flow redirects carry
 * everything in the query and are taken from the GET itself. Any web page in the user's browser
 * can reach this port, so every request is hostile input: only the exact callback path with our
 * own Host is considered, a POST must come from the callback page itself (its Origin), and each
 * candidate URL goes to the core's judge. An ignored one gets an error page and changes nothing:
 * the pending sign-in goes on. Nothing a request does can throw out of here. Node only.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RedirectCapture, RedirectJudge, RedirectListener } from '../core/ports.js';

const CALLBACK_PATH = '/callback';
const MAX_POST_BYTES = 16_384;
/** A slow sender cannot hold the port for long (headers and whole request). */
const REQUEST_TIMEOUT_MS = 10_000;

const RECEIVED = 'Sign-in received. You can close this window and return to Data2CRM Tray.';
const IGNORED = 'This sign-in response does not belong to the sign-in in progress, so it was ignored. Finish the sign-in in the window the app opened.';

const SCRIPT = `fetch(location.pathname,{method:'POST',referrerPolicy:'origin',headers:{'content-type':'text/plain'},body:location.href}).then(function(r){return r.ok;},function(){return false;}).then(function(ok){history.replaceState(null,'',location.pathname);document.getElementById('m').textContent=ok?${JSON.stringify(RECEIVED)}:${JSON.stringify(IGNORED)};});`;
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

const page = (message: string, withScript: boolean) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Data2CRM Tray</title></head><body><main><h1>Data2CRM Tray</h1><p id="m" role="status">${message}</p></main>${withScript ? `<script>${SCRIPT}</script>` : ''}</body></html>`;

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy': `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  });
  res.end(html);
}

function plain(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end();
}

/** The path and query of an origin-form request target ("/callback?…"), or null for anything else. */
function callbackQuery(target: string | undefined): string | null {
  if (!target?.startsWith('/')) return null; // absolute-form, asterisk-form, authority-form
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  return path === CALLBACK_PATH ? (q < 0 ? '' : target.slice(q)) : null;
}

export function createLoopbackListener(host = '127.0.0.1'): RedirectListener {
  return {
    start(port, judge: RedirectJudge) {
      return new Promise<RedirectCapture>((resolveStart, rejectStart) => {
        let origin = '';
        let hosts: readonly string[] = [];
        const sockets = new Set<Socket>();

        function handle(req: IncomingMessage, res: ServerResponse): void {
          req.on('error', () => undefined);
          res.on('error', () => undefined);
          // DNS rebinding and look-alike names: only our own address, with the port, is ours.
          const query = hosts.includes(req.headers.host ?? '') ? callbackQuery(req.url) : null;
          if (query === null) return send(res, 404, page('Not found.', false));
          if (req.method === 'GET') {
            const params = new URLSearchParams(query);
            if (params.has('code') || params.has('error')) {
              const accepted = judge(`${origin}${CALLBACK_PATH}${query}`) === 'accepted';
              return send(res, accepted ? 200 : 400, page(accepted ? RECEIVED : IGNORED, false));
            }
            return send(res, 200, page('Finishing sign-in…', true));
          }
          // Only the callback page itself may post: a page on any other origin cannot.
          if (req.method !== 'POST') return plain(res, 405);
          if (req.headers.origin !== origin) return plain(res, 403);
          let body = '';
          req.setEncoding('utf8');
          req.on('data', (chunk: string) => {
            body += chunk;
            if (body.length > MAX_POST_BYTES) {
              body = '';
              plain(res, 413);
              req.destroy();
            }
          });
          req.on('end', () => {
            if (res.headersSent) return;
            const ours = body.startsWith(`${origin}${CALLBACK_PATH}?`) || body.startsWith(`${origin}${CALLBACK_PATH}#`);
            plain(res, ours && judge(body) === 'accepted' ? 204 : 400);
          });
        }

        const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
          try {
            handle(req, res);
          } catch {
            // The judge or a malformed request threw: answer and keep listening.
            if (!res.headersSent) plain(res, 400);
          }
        });
        server.on('connection', (socket) => {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => sockets.delete(socket));
        });
        server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
          const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
          if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
          socket.destroy();
        });
        server.once('error', rejectStart);
        server.listen(port, host, () => {
          server.off('error', rejectStart);
          server.on('error', () => undefined);
          const actual = (server.address() as AddressInfo).port;
          origin = `http://${host}:${actual}`;
          hosts = [`${host}:${actual}`, `localhost:${actual}`];
          resolveStart({
            redirectUri: `${origin}${CALLBACK_PATH}`,
            close: () =>
              new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
              }),
          });
        });
      });
    },
  };
}
