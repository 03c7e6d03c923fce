/**
 * RedirectListener on 127.0.0.1 (RFC 8252 loopback redirect). The redirect's fragment never
 * reaches a server, so the callback page posts `location.href` back; code-flow redirects carry
 * everything in the query and are taken from the GET itself. The first URL received wins; the
 * core validates it (state, exact endpoint) before anything is kept. Node only, no Electron.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RedirectCapture, RedirectListener } from '../core/ports.js';

const CALLBACK_PATH = '/callback';
const MAX_POST_BYTES = 16_384;

const SCRIPT = `fetch(location.pathname,{method:'POST',headers:{'content-type':'text/plain'},body:location.href}).finally(function(){history.replaceState(null,'',location.pathname);document.getElementById('m').textContent='Sign-in received. You can close this window and return to Data2CRM Tray.';});`;
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

const page = (message: string, withScript: boolean) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Data2CRM Tray</title></head><body><main><h1>Data2CRM Tray</h1><p id="m" role="status">${message}</p></main>${withScript ? `<script>${SCRIPT}</script>` : ''}</body></html>`;

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self'; base-uri 'none'; form-action 'none'`,
  });
  res.end(html);
}

export function createLoopbackListener(host = '127.0.0.1'): RedirectListener {
  return {
    start(port) {
      return new Promise<RedirectCapture>((resolveStart, rejectStart) => {
        let deliver: (url: string) => void = () => undefined;
        const received = new Promise<string>((resolve) => {
          deliver = resolve;
        });
        let origin = '';
        const sockets = new Set<Socket>();

        const server = createServer((req: IncomingMessage, res: ServerResponse) => {
          const url = new URL(req.url ?? '/', origin);
          if (url.pathname !== CALLBACK_PATH) return send(res, 404, page('Not found.', false));
          if (req.method === 'GET') {
            if (url.searchParams.has('code') || url.searchParams.has('error')) {
              deliver(`${origin}${req.url}`);
              return send(res, 200, page('Sign-in received. You can close this window and return to Data2CRM Tray.', false));
            }
            return send(res, 200, page('Finishing sign-in…', true));
          }
          if (req.method === 'POST') {
            let body = '';
            req.setEncoding('utf8');
            req.on('data', (chunk: string) => {
              body += chunk;
              if (body.length > MAX_POST_BYTES) req.destroy();
            });
            req.on('end', () => {
              // Only URLs of this listener; the core checks path, state and values.
              if (body.startsWith(`${origin}${CALLBACK_PATH}`)) deliver(body);
              res.writeHead(204).end();
            });
            return;
          }
          res.writeHead(405).end();
        });
        server.on('connection', (socket) => {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
        });
        server.once('error', rejectStart);
        server.listen(port, host, () => {
          origin = `http://${host}:${(server.address() as AddressInfo).port}`;
          resolveStart({
            redirectUri: `${origin}${CALLBACK_PATH}`,
            received,
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
