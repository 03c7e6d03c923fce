/**
 * The local API's listener: one JSON object per line over a Unix domain socket (a named pipe on
 * Windows), never TCP. The socket's permissions are the access control, as Docker's are: its
 * folder is 0700 and the socket 0600, both the current user's, so no other user's process can
 * open it; on Windows, Node's pipe allows the creating user (and administrators) to connect.
 * A socket left by a crash (nothing answers) is replaced; one that answers belongs to another
 * running instance, which keeps it. Requests are bounded; a client that stops reading a `watch`
 * is dropped rather than buffered without end. Decisions are the dispatcher's. Node only.
 */
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from '../core/ports.js';
import { requestSchema } from '../../shared/local-api-schemas.js';
import { MAX_REQUEST_CHARS, WATCH_OPERATION, type LocalApiEnvelope } from '../../shared/local-api.js';

/** A watcher this far behind (a client that stopped reading) is dropped. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface LocalApiServerOptions {
  readonly socketPath: string;
  readonly dispatch: (op: string, args: unknown) => Promise<LocalApiEnvelope>;
  /** Sends the whole state, then every change; returns the unsubscribe function. */
  readonly watch: (send: (event: unknown) => void) => () => void;
  readonly logger: Logger;
}

export interface LocalApiServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

const isWindowsPipe = (path: string) => path.startsWith('\\\\.\\pipe\\');
const code = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code;

/** The socket's folder: created 0700, and refused when it is someone else's or open to others. */
function prepareFolder(folder: string): string | null {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = lstatSync(folder);
  if (!stat.isDirectory()) return 'it is not a folder';
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return `it belongs to another user (uid ${stat.uid})`;
  if ((stat.mode & 0o077) !== 0) chmodSync(folder, 0o700);
  return null;
}

/** True when a server answers at the path (another running instance). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen({ path, readableAll: false, writableAll: false }, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

function serveConnection(socket: Socket, options: LocalApiServerOptions): void {
  const { dispatch, watch, logger } = options;
  const unsubscribers: Array<() => void> = [];
  let buffered = '';
  const write = (frame: object) => {
    if (socket.destroyed) return;
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
      logger.warn('local-api: a client stopped reading; dropped');
      socket.destroy();
      return;
    }
    socket.write(`${JSON.stringify(frame)}\n`);
  };
  const answer = (id: number, envelope: LocalApiEnvelope) => write({ id, ...envelope });

  async function handle(line: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      raw = undefined;
    }
    const request = requestSchema.safeParse(raw);
    if (!request.success) {
      write({ id: 0, ok: false, error: { code: 'invalid-request', message: 'The request is not a local API request.' } });
      return;
    }
    const { id, op, args } = request.data;
    if (op === WATCH_OPERATION) {
      unsubscribers.push(watch((event) => write({ id, event })));
      return;
    }
    answer(id, await dispatch(op, args));
  }

  /** Read no further: say why, and end the connection. */
  const tooLong = () => {
    buffered = '';
    socket.pause();
    write({ id: 0, ok: false, error: { code: 'invalid-request', message: 'The request is too long.' } });
    socket.end();
  };

  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.length > MAX_REQUEST_CHARS) return tooLong();
      if (line.trim()) void handle(line).catch(() => socket.destroy());
      newline = buffered.indexOf('\n');
    }
    if (buffered.length > MAX_REQUEST_CHARS) tooLong();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe()));
}

/**
 * Listens at the path, or returns null (said in the log) when another instance answers there or
 * the folder is not safe to use. Never throws for either.
 */
export async function startLocalApiServer(options: LocalApiServerOptions): Promise<LocalApiServer | null> {
  const { socketPath: path, logger } = options;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, options);
  });
  try {
    if (!isWindowsPipe(path)) {
      const unsafe = prepareFolder(dirname(path));
      if (unsafe) {
        logger.warn('local-api: not started: its folder is not safe to use', { folder: dirname(path), reason: unsafe });
        return null;
      }
    }
    try {
      await listen(server, path);
    } catch (error) {
      if (code(error) !== 'EADDRINUSE') throw error;
      if (await answers(path)) {
        logger.warn('local-api: not started: another instance answers at its socket', { path });
        return null;
      }
      // Left by a crash: nothing listens, so it is replaced.
      if (!isWindowsPipe(path)) unlinkSync(path);
      await listen(server, path);
    }
    if (!isWindowsPipe(path)) chmodSync(path, 0o600);
  } catch (error) {
    logger.warn('local-api: not started', { path, error: code(error) ?? (error instanceof Error ? error.name : 'unknown') });
    server.close();
    return null;
  }
  logger.info('local-api: listening', { path });
  return {
    socketPath: path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        // Node removes a Unix socket's file when its server closes.
        server.close(() => resolve());
      }),
  };
}
