/**
 * Checkpoints the state database's write-ahead log on a worker thread, amortized. A checkpoint
 * syncs the log, copies its pages back into the file and syncs the file; the first write after a
 * complete one restarts the log and syncs its new header. After every commit that was three
 * syncs a check, one of them on the main thread. Now a checkpoint follows the log's growth
 * (CHECKPOINT_AFTER_COMMITS) or, at a slow pace, half an hour (CHECKPOINT_WITHIN_MS), so a page
 * written by many checks is copied back once; and the worker restarts the log itself right after
 * a complete checkpoint (one page written again), so the header's sync is never the main thread's.
 * Commits are untouched: what a crash of the app can lose is the same (sqlite-state-store.ts);
 * the log is in the OS's hands at each commit. Only a power cut can lose commits not yet synced:
 * the kernel writes them back within about 30 s anyway, and this bound holds at worst.
 * (Measured at the kernel by `npm run bench`, 2026-12-07: 10 connections verified every 15 min
 * cost 0.149 syncs a check (a checkpoint each half hour), 10,000 cost 0.002 (the log's growth
 * sets the pace). A checkpoint every 5 minutes, tried first, cost 0.7. One sync in 151
 * checkpoints was still the main thread's: a main-thread commit that came right after a complete
 * checkpoint, before the worker's restart write, restarted the log itself. So the store commits
 * what it holds just before a checkpoint is asked for (beforeAsk) and keeps routine writes in
 * memory, outside any transaction, until the answer (inFlight).)
 * If no worker can run, SQLite checkpoints on the main thread as before.
 */
import { Worker } from 'node:worker_threads';

/** Commits after which the log is checkpointed, whatever the time (the log grew: ≈ 4–16 MB). */
export const CHECKPOINT_AFTER_COMMITS = 1_000;
/** At a slow pace, the longest a commit waits for its checkpoint. */
export const CHECKPOINT_WITHIN_MS = 30 * 60_000;
/**
 * A checkpoint the count asks for, or one that could not copy everything (commits came during
 * it), follows this long after: a burst of checks is copied once, after it.
 */
export const CHECKPOINT_AFTER_MS = 1_000;
/** Commits without a complete checkpoint after which the main thread checkpoints itself (a stuck worker). */
const STALLED_AFTER_COMMITS = 5_000;
/** How long the worker waits for the main thread's open transaction before it writes the page that restarts the log. */
const RESTART_WAIT_MS = 2_000;

// Plain CommonJS run by the worker (eval): nothing for the bundler to resolve.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
// As the main connection: no sync at its own commit, and the log cut back to 4 MB when it starts over.
db.exec('PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 4194304; PRAGMA busy_timeout = ${RESTART_WAIT_MS}');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const userVersion = db.prepare('PRAGMA user_version');
// A complete checkpoint lets the next write start the log over, and that write syncs the log's
// new header: this one page (the header page, its value unchanged) makes it the worker's write.
function restartLog() {
  db.exec('BEGIN IMMEDIATE');
  try {
    const version = Number(userVersion.get().user_version);
    db.exec('PRAGMA user_version = ' + version);
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
parentPort.on('message', () => {
  let result;
  try {
    result = checkpoint.get();
  } catch (error) {
    result = { error: String(error && error.message) };
  }
  if (result.error === undefined && result.log > 0 && result.log === result.checkpointed) {
    try {
      restartLog();
      result.restarted = true;
    } catch (error) {
      // The main thread held its transaction too long: its next write restarts the log instead.
      result.restarted = false;
    }
  }
  parentPort.postMessage(result);
});
`;

export interface Checkpointer {
  /** Called after every commit: a checkpoint follows when the log has grown, or half an hour after the first commit not yet copied. */
  afterCommit(): void;
  /** A checkpoint now, answered with SQLite's row (busy, log, checkpointed, and whether the worker restarted the log) or its error. */
  checkpointNow(): Promise<Record<string, unknown>>;
  /** Checkpoints asked for so far (tests, bench). */
  asked(): number;
  /** Resolves once no checkpoint is in flight. */
  settled(): Promise<void>;
  /** True from the ask to the worker's answer: a commit then could start the log over on the main thread. */
  inFlight(): boolean;
  /** Stops checkpointing; resolves once the worker (and its connection to the file) is gone. */
  stop(): Promise<void>;
}

/** A one-shot timer that never keeps the process alive (the Clock port's, in tests a fake one). */
export type SetTimer = (delayMs: number, fire: () => void) => { cancel(): void };

export interface CheckpointerOptions {
  readonly afterCommits?: number;
  readonly withinMs?: number;
  readonly setTimer?: SetTimer;
  /** Runs just before each checkpoint is asked for (the store commits its open transaction, which would hold the log). */
  readonly beforeAsk?: () => void;
}

const unrefTimer: SetTimer = (delayMs, fire) => {
  const handle = setTimeout(fire, delayMs);
  handle.unref?.();
  return { cancel: () => clearTimeout(handle) };
};

/**
 * The worker starts with the first checkpoint (a store that writes little never needs one).
 * `onMainThread` is called once when checkpoints must go back to the main thread (the worker
 * could not start, or it stopped); `checkpointHere` runs one on the main thread when the worker
 * has not completed one for STALLED_AFTER_COMMITS commits.
 */
export function startCheckpointer(path: string, onMainThread: () => void, checkpointHere: () => void = () => undefined, options: CheckpointerOptions = {}): Checkpointer {
  const afterCommits = options.afterCommits ?? CHECKPOINT_AFTER_COMMITS;
  const withinMs = options.withinMs ?? CHECKPOINT_WITHIN_MS;
  const setTimer = options.setTimer ?? unrefTimer;
  let worker: Worker | null = null;
  let running = true;
  let timer: { at: 'soon' | 'within'; handle: { cancel(): void } } | null = null;
  /** Commits not yet copied by a complete checkpoint, and those made since the one in flight was asked for. */
  let commits = 0;
  let sinceAsked = 0;
  let stalled = 0;
  let asked = false;
  let askedCount = 0;
  const waiting: Array<{ resolve: (row: Record<string, unknown>) => void; reject: (error: Error) => void }> = [];
  const whenSettled: Array<() => void> = [];

  const cancelTimer = () => {
    timer?.handle.cancel();
    timer = null;
  };

  const fallBack = () => {
    if (!running) return;
    running = false;
    cancelTimer();
    for (const { reject } of waiting.splice(0)) reject(new Error('The checkpoint worker is not running.'));
    for (const resolve of whenSettled.splice(0)) resolve();
    onMainThread();
  };

  function answered(row: Record<string, unknown>): void {
    asked = false;
    const failed = row['error'] !== undefined;
    const complete = !failed && row['log'] === row['checkpointed'];
    if (complete) {
      // What came after the ask may not be in it: it waits for the next one.
      commits = sinceAsked;
      stalled = 0;
    }
    sinceAsked = 0;
    // Commits came during it, or it could not copy every page yet: another follows soon. A failed
    // one is tried with the next commit (not on a timer of its own), and never counts as complete.
    if (!failed && !complete) arm('soon');
    else if (commits > 0) arm(commits >= afterCommits ? 'soon' : 'within');
    waiting.shift()?.resolve(row);
    for (const resolve of whenSettled.splice(0)) resolve();
  }

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
    worker.on('message', answered);
    // After the listeners (a 'message' listener refs the worker again): it never keeps the app alive.
    worker.unref();
    return worker;
  }

  function ask(): void {
    options.beforeAsk?.();
    cancelTimer();
    const thread = started();
    if (!thread) return;
    asked = true;
    askedCount++;
    sinceAsked = 0;
    thread.postMessage('checkpoint');
  }

  /** 'soon': the log has grown (or a checkpoint is unfinished); 'within': the slow pace's bound, kept from the first commit. */
  function arm(at: 'soon' | 'within'): void {
    if (asked || !running) return;
    if (timer && (timer.at === 'soon' || at === 'within')) return;
    cancelTimer();
    timer = { at, handle: setTimer(at === 'soon' ? CHECKPOINT_AFTER_MS : withinMs, ask) };
  }

  return {
    afterCommit() {
      if (!running) return;
      commits++;
      if (asked) sinceAsked++;
      if (++stalled >= STALLED_AFTER_COMMITS) {
        stalled = 0;
        checkpointHere();
      }
      arm(commits >= afterCommits ? 'soon' : 'within');
    },
    checkpointNow: () =>
      new Promise((resolve, reject) => {
        if (!running) return reject(new Error('The checkpoint worker is not running.'));
        waiting.push({ resolve, reject });
        ask();
      }),
    asked: () => askedCount,
    inFlight: () => asked && running,
    settled: () => (asked && running ? new Promise<void>((resolve) => whenSettled.push(resolve)) : Promise.resolve()),
    async stop() {
      running = false;
      cancelTimer();
      for (const resolve of whenSettled.splice(0)) resolve();
      await worker?.terminate();
    },
  };
}
