/** The README shows every screenshot in docs/screenshots, and every picture it shows exists there. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = 'docs/screenshots';
const readme = readFileSync('README.md', 'utf8');
const referenced = [...readme.matchAll(/\]\((docs\/screenshots\/[^)]+)\)/g)].map((m) => m[1]!);

describe('README screenshots', () => {
  it('every file in docs/screenshots is shown in the README', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.png')).map((f) => `${DIR}/${f}`);
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(referenced.slice().sort()).toEqual(files.sort());
  });

  it('every picture the README shows exists and is written by readme-screenshots.spec.ts', () => {
    for (const path of referenced) expect(existsSync(path), path).toBe(true);
    for (const path of referenced) {
      const name = path.slice(DIR.length + 1).replace(/-(light|dark)\.png$/, '');
      expect(readFileSync('test/ui/readme-screenshots.spec.ts', 'utf8'), `${path} is not made by the screenshot spec`).toContain(`'${name}'`);
    }
  });
});
