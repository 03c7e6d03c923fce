/** The benchmark code still runs end to end (tiny sizes; no timing is asserted, figures mean nothing). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('benchmarks (smoke run)', () => {
  it('runs every benchmark and prints each figure with app, baseline and ratio', () => {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/bench/run.ts', '--smoke'], { encoding: 'utf8', timeout: 240_000 });
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    for (const name of ['Growth: recording one check', 'Growth: the delta sent', 'Growth: state:changed bytes', 'Growth: bytes written', 'Refresh round, real keychain', 'Refresh round, in-memory secrets', 'Catch-up after resume: 20 overdue, main-thread share', 'Catch-up after resume: longest main-thread stall', 'Startup load', 'Scheduling: ', 'Scheduling: wake-ups', 'Idle: ', 'Idle: wake-ups', 'Memory: heap per connection', 'Renderer: production JS + CSS', 'Renderer: settings window', 'Renderer: state-change event', 'Renderer: a minute later at 20 connections (table)', 'Renderer: a minute later at 20 connections (list)', 'Keeper idle: 20 healthy connections, CPU', 'Keeper idle: wake-ups', 'Keeper memory: resident memory per connection']) {
      expect(run.stdout).toContain(name);
    }
    expect(run.stdout).toMatch(/^machine: .+ cores.+Node v\d+.+Chromium \d+/m);
    expect(run.stdout.match(/\n {2}ratio {4}/g)?.length).toBe(22);
    expect(run.stdout).toMatch(/22 figures in \d+ s/);
  }, 250_000);
});
