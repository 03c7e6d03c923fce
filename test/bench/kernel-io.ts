/**
 * Disk cost as the kernel sees it, per thread (the main thread apart from the rest):
 * - pages dirtied: `write_bytes` of /proc/self/task/<tid>/io (bytes of page cache this thread made
 *   dirty, counted when a clean page is first written; what the disk will have to take), and
 *   `cancelled_write_bytes` (dirty pages dropped by a truncate before they were written back);
 * - bytes written and syncs: every write and fsync/fdatasync system call on the measured files,
 *   counted by strace (Debian package `strace`) around the measured span. Without strace these two
 *   are not measured, and the figure says why.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface ThreadIo {
  /** Bytes of page cache dirtied (to be written back). */
  readonly dirtied: number;
  /** Dirty bytes dropped before writeback (a file cut back). */
  readonly cancelled: number;
}

function readIo(path: string): ThreadIo {
  const fields = Object.fromEntries(
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(': ') as [string, string]),
  );
  return { dirtied: Number(fields['write_bytes'] ?? 0), cancelled: Number(fields['cancelled_write_bytes'] ?? 0) };
}

export interface IoSample {
  readonly main: ThreadIo;
  /** Every thread of the process, those that ended included. */
  readonly process: ThreadIo;
}

/** This process's counters now: the main thread's and the whole process's. */
export function ioSample(): IoSample {
  return { main: readIo(`/proc/self/task/${process.pid}/io`), process: readIo('/proc/self/io') };
}

export const ioDelta = (a: IoSample, b: IoSample) => ({
  mainDirtied: b.main.dirtied - a.main.dirtied,
  dirtied: b.process.dirtied - a.process.dirtied,
  cancelled: b.process.cancelled - a.process.cancelled,
});

/** Whether the kernel's per-thread counters can be read here (Linux with task I/O accounting). */
export function ioAccounting(): boolean {
  try {
    readIo('/proc/self/io');
    return readdirSync('/proc/self/task').length > 0;
  } catch {
    return false;
  }
}

/** strace, if installed: the path, or why not. */
export function strace(): { ok: true; path: string } | { ok: false; reason: string } {
  const found = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) return { ok: false, reason: 'strace is not installed (Debian: apt-get install strace): syscalls were not counted' };
  return { ok: true, path: 'strace' };
}

/** The arguments that run `command` under strace, writes and syncs of every thread logged to `out`. */
export function tracedArgs(out: string, command: readonly string[]): string[] {
  return ['-f', '-qq', '-y', '-s', '8', '-e', 'trace=write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync', '-e', 'signal=none', '-o', out, ...command];
}

export interface SyscallCounts {
  readonly bytes: number;
  readonly mainBytes: number;
  readonly syncs: number;
  readonly mainSyncs: number;
}

const CALL = /^(\d+)\s+(?:<\.\.\. (\w+) resumed>(.*)|(\w+)\((\d+)<([^>]*)>(.*))$/;
const RESULT = /\)\s+=\s+(-?\d+)/;

/**
 * Counts writes (bytes returned) and syncs on files under `under`, between the marker writes
 * `begin` and `end` (to the file `marker`), for the thread `mainTid` and all threads.
 */
export function countSyscalls(log: string, options: { mainTid: number; under: string; marker: string; begin: string; end: string }): SyscallCounts {
  let on = false;
  let bytes = 0;
  let mainBytes = 0;
  let syncs = 0;
  let mainSyncs = 0;
  /** A call another thread interrupted: its name and file, until it resumes. */
  const unfinished = new Map<number, { name: string; path: string }>();
  const count = (tid: number, name: string, path: string, rest: string) => {
    if (path === options.marker) {
      if (rest.includes(`"${options.begin}`)) on = true;
      if (rest.includes(`"${options.end}`)) on = false;
      return;
    }
    if (!on || !path.startsWith(options.under)) return;
    const result = Number(rest.match(RESULT)?.[1] ?? -1);
    if (name === 'fsync' || name === 'fdatasync') {
      syncs++;
      if (tid === options.mainTid) mainSyncs++;
    } else if (result > 0) {
      bytes += result;
      if (tid === options.mainTid) mainBytes += result;
    }
  };
  for (const line of log.split('\n')) {
    const m = line.match(CALL);
    if (!m) continue;
    const tid = Number(m[1]);
    if (m[2]) {
      const started = unfinished.get(tid);
      unfinished.delete(tid);
      if (started) count(tid, started.name, started.path, m[3] ?? '');
      continue;
    }
    const [name, path, rest] = [m[4]!, m[6]!, m[7] ?? ''];
    if (rest.includes('<unfinished ...>')) unfinished.set(tid, { name, path });
    else count(tid, name, path, rest);
  }
  return { bytes, mainBytes, syncs, mainSyncs };
}
