/** One list says what the app must do: the shell tier runs every scenario of it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../support/app-scenarios.js';

describe('app scenarios', () => {
  it('has a shell test for every scenario', () => {
    const specs = readdirSync('test/shell').filter((name) => name.endsWith('.spec.ts')).map((name) => readFileSync(join('test/shell', name), 'utf8')).join('\n');
    const missing = Object.keys(SCENARIOS).filter((key) => !specs.includes(`test(SCENARIOS.${key},`));
    expect(missing).toEqual([]);
  });
});
