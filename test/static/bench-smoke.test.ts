/** The benchmark code still runs end to end (tiny sizes; no timing is asserted, figures mean nothing). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { strace } from '../bench/kernel-io.js';

describe('benchmarks (smoke run)', () => {
  it('runs every benchmark and prints each figure with app, baseline and ratio', () => {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/bench/run.ts', '--smoke'], { encoding: 'utf8', timeout: 420_000 });
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    for (const name of ['Disk: pages written per check (kernel)', 'Disk: syncs per check (kernel)', 'Disk: syncs per check on the main thread', 'Disk: pages dirtied per check', 'Disk per hour, 10 connections, 15-min sessions', 'Disk per hour, 10 connections, 2-h sessions', 'A check alone, whole: main-thread CPU per refresh at 5 connections', 'A check alone, whole: main-thread CPU per refresh at 10 connections', "A check alone, HTTP with Node's fetch: main-thread CPU per refresh at 5 connections", "A check alone, HTTP with Node's fetch: main-thread CPU per refresh at 10 connections", 'Growth: recording one check', 'Growth: the delta sent', 'Growth: state:changed bytes', 'Growth: bytes written', 'Refresh round, real keychain', 'Refresh round, in-memory secrets', 'Catch-up after resume: 20 overdue, main-thread share', 'Catch-up after resume: longest main-thread stall', 'Startup: tray and schedule up', 'Startup: secrets loaded', 'Scheduling: 100 connections each checked every 15 min', 'Scheduling: wake-ups vs due jobs, each checked every 15 min', 'Scheduling: 100 connections each refreshed for 15-min sessions', 'Scheduling: wake-ups vs due jobs, each refreshed for 15-min sessions', 'Idle: 10 healthy connections, main-thread busy per minute', 'Idle: wake-ups per minute', 'Memory: heap per connection', 'Renderer: production JS + CSS', 'Renderer: settings window', 'Renderer: state-change event', 'Renderer: a minute later at 20 connections (table)', 'Renderer: a minute later at 20 connections (list)', 'Command line: status --json at 20 connections', 'Keeper idle: 20 healthy connections, CPU', 'Keeper idle: wake-ups', 'Keeper memory: resident memory per connection']) {
      expect(run.stdout).toContain(name);
    }
    expect(run.stdout).toMatch(/^machine: .+ cores.+Node v\d+.+Chromium \d+/m);
    expect(run.stdout.match(/\n {2}ratio {4}/g)?.length).toBe(36);
    expect(run.stdout).toMatch(/36 figures in \d+ s/);
    // Writes and syncs are counted with strace where it is installed; without it the figures say why, and the run still ends well.
    if (strace().ok) expect(run.stdout).toMatch(/per check [\d.]+ KB written \(main thread/);
    else expect(run.stdout).toMatch(/not measured; strace is not installed/);
  }, 430_000);
});
