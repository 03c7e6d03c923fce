/**
 * Checkpoints the state database's write-ahead log on a worker thread. Copying logged pages back
 * into the database file (and syncing it) costs as many pages as distinct rows changed: on the
 * main thread it was the one per-check cost that grew with the number of connections, and the
 * longest stall. The worker has its own connection; SQLite lets a passive checkpoint run while
 * the main thread writes. If no worker can run, SQLite checkpoints on the main thread as before.
 */
import { Worker } from 'node:worker_threads';

/**
 * A checkpoint is asked for this long after the first commit that follows one: a burst of checks
 * is copied once, after it, rather than while it runs.
 */
export const CHECKPOINT_AFTER_MS = 1_000;
/** Commits without a complete checkpoint after which the main thread checkpoints itself (a stuck worker). */
const STALLED_AFTER_COMMITS = 5_000;

// Plain CommonJS run by the worker (eval): nothing for the bundler to resolve.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', () => {
  let result;
  try {
    result = checkpoint.get();
  } catch (error) {
    result = { error: String(error && error.message) };
  }
  parentPort.postMessage(result);
});
`;

export interface Checkpointer {
  /** Called after every commit: a checkpoint follows a moment later, and again until one finds the log fully copied. */
  afterCommit(): void;
  /** A checkpoint now, answered with SQLite's row (busy, log, checkpointed) or its error. */
  checkpointNow(): Promise<Record<string, unknown>>;
  /** Stops checkpointing; resolves once the worker (and its connection to the file) is gone. */
  stop(): Promise<void>;
}

/**
 * The worker starts with the first checkpoint (a store that writes little never needs one).
 * `onMainThread` is called once when checkpoints must go back to the main thread (the worker
 * could not start, or it stopped); `checkpointHere` runs one on the main thread when the worker
 * has not completed one for STALLED_AFTER_COMMITS commits.
 */
export function startCheckpointer(path: string, onMainThread: () => void, checkpointHere: () => void = () => undefined): Checkpointer {
  let worker: Worker | null = null;
  let running = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Commits since a checkpoint found the log fully copied. */
  let commits = 0;
  /** Commits since the last checkpoint was asked for. */
  let fresh = false;
  let asked = false;
  const waiting: Array<{ resolve: (row: Record<string, unknown>) => void; reject: (error: Error) => void }> = [];

  const fallBack = () => {
    if (!running) return;
    running = false;
    if (timer) clearTimeout(timer);
    for (const { reject } of waiting.splice(0)) reject(new Error('The checkpoint worker is not running.'));
    onMainThread();
  };

  function started(): Worker | null {
    if (worker || !running) return worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    } catch {
      fallBack();
      return null;
    }
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
    worker.on('message', (row: Record<string, unknown>) => {
      asked = false;
      // Commits during the checkpoint, or pages it could not copy yet: another one follows. A failed
      // one is tried with the next commit (not on a timer of its own), and never counts as complete.
      const failed = row['error'] !== undefined;
      if (fresh || (!failed && row['log'] !== row['checkpointed'])) arm();
      else if (!failed) commits = 0;
      waiting.shift()?.resolve(row);
    });
    // After the listeners (a 'message' listener refs the worker again): it never keeps the app alive.
    worker.unref();
    return worker;
  }

  function ask(): void {
    timer = null;
    const thread = started();
    if (!thread) return;
    asked = true;
    fresh = false;
    thread.postMessage('checkpoint');
  }

  function arm(): void {
    if (timer || asked || !running) return;
    timer = setTimeout(ask, CHECKPOINT_AFTER_MS);
    timer.unref?.();
  }

  return {
    afterCommit() {
      if (!running) return;
      fresh = true;
      if (++commits >= STALLED_AFTER_COMMITS) {
        commits = 0;
        checkpointHere();
      }
      arm();
    },
    checkpointNow: () =>
      new Promise((resolve, reject) => {
        if (!running) return reject(new Error('The checkpoint worker is not running.'));
        waiting.push({ resolve, reject });
        if (timer) clearTimeout(timer);
        ask();
      }),
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await worker?.terminate();
    },
  };
}
