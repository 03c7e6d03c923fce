/**
 * Talks to the running app over its local API socket: requests and answers as JSON lines, each
 * answer checked against the operation's own schema (answer-checks.ts; answers are input like any other).
 * A refusal or failure comes back as a CliError carrying the app's own words.
 */
import { connect, type Socket } from 'node:net';
import type { StateDelta } from '../preload/contract.js';
import { WATCH_OPERATION, type LocalApiResponse, type Operation, type OperationArgs, type OperationResult } from '../shared/local-api.js';
import { checks } from './answer-checks.js';
import { CliError, ConnectionLost, EXIT } from './errors.js';
import { assertSafeSocket } from './socket-safety.js';

const NOT_UNDERSTOOD = 'The app answered something the command line does not understand: are both the same version?';
/** An answer this large is not one the app sends (1,000 connections are under 1 MB). */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

export interface LocalApiClient {
  call<O extends Operation>(op: O, ...args: OperationArgs<O> extends undefined ? [] : [OperationArgs<O>]): Promise<OperationResult<O>>;
  /** Every delta (the whole state first) until the connection ends or `close()`; `onReady` once subscribed. */
  watch(onDelta: (delta: StateDelta) => void): Promise<void>;
  close(): void;
}

type Pending = { op: string; resolve: (value: unknown) => void; reject: (error: Error) => void };

function open(path: string, notRunning: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      // A socket file with nothing behind it: left by a crash, the app is not running.
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED' || error.code === 'ENOTSOCK') reject(new CliError(EXIT.notRunning, notRunning));
      else if (error.code === 'EACCES' || error.code === 'EPERM') reject(new CliError(EXIT.notRunning, `Cannot open ${path}: permission denied.`));
      else reject(new CliError(EXIT.notRunning, `Cannot reach the app at ${path} (${error.code ?? 'error'}).`));
    });
  });
}

export async function openClient(path: string, notRunning: string): Promise<LocalApiClient> {
  assertSafeSocket(path, notRunning);
  const socket = await open(path, notRunning);
  const pending = new Map<number, Pending>();
  const watchers = new Map<number, (event: unknown) => void>();
  let nextId = 1;
  let buffered = '';
  let closedByUs = false;
  let ended: (() => void) | null = null;
  const gone = new Promise<void>((resolve) => (ended = resolve));

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  function receive(line: string): void {
    let frame: LocalApiResponse;
    try {
      const raw: unknown = JSON.parse(line);
      if (!checks.frame(raw)) throw new Error('not a frame');
      frame = raw as LocalApiResponse;
    } catch {
      failAll(new CliError(EXIT.needsYou, NOT_UNDERSTOOD));
      socket.destroy();
      return;
    }
    if ('event' in frame) {
      watchers.get(frame.id)?.(frame.event);
      return;
    }
    const waiting = pending.get(frame.id);
    if (!waiting) return;
    pending.delete(frame.id);
    if (!frame.ok) {
      const exit = frame.error.code === 'refused' || frame.error.code === 'invalid-argument' ? EXIT.usage : EXIT.needsYou;
      waiting.reject(new CliError(exit, frame.error.message));
      return;
    }
    if (checks.result(waiting.op, frame.value)) waiting.resolve(frame.value);
    else waiting.reject(new CliError(EXIT.needsYou, NOT_UNDERSTOOD));
  }

  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    // A large answer comes in many chunks: look for its end in the new one only.
    let newline = chunk.indexOf('\n');
    while (newline >= 0) {
      receive(buffered + chunk.slice(0, newline));
      buffered = '';
      chunk = chunk.slice(newline + 1);
      newline = chunk.indexOf('\n');
    }
    buffered += chunk;
    if (buffered.length > MAX_LINE_CHARS) socket.destroy();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (!closedByUs) failAll(new ConnectionLost('The app closed the connection before answering (did it quit?).'));
    ended?.();
  });

  const send = (op: string, args: unknown) => {
    const id = nextId++;
    socket.write(`${JSON.stringify({ id, op, ...(args === undefined ? {} : { args }) })}\n`);
    return id;
  };

  return {
    call(op, ...args) {
      return new Promise((resolve, reject) => {
        pending.set(send(op, args[0]), { op, resolve: resolve as (value: unknown) => void, reject });
      });
    },
    watch(onDelta) {
      const id = send(WATCH_OPERATION, undefined);
      watchers.set(id, (event) => {
        if (checks.delta(event)) onDelta(event as StateDelta);
      });
      return gone;
    },
    close() {
      closedByUs = true;
      socket.end();
    },
  };
}
