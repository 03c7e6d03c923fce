/**
 * The tray icons read at 16 px on light and dark panels (WCAG 1.4.11: the shape stands out from
 * the panel by 3:1 at least, in every state's colour), each state has its own shape, they carry
 * the brand mark, the paused one is not faint, and the committed PNGs are exactly what
 * scripts/make-icons.mjs draws.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const STATES = ['ok', 'busy', 'attention', 'error', 'key-rejected', 'paused'];
/** White, a light grey panel, a dark grey panel (GNOME, Windows dark) and black. */
const PANELS: Array<[string, [number, number, number]]> = [
  ['white', [255, 255, 255]],
  ['light grey', [232, 232, 232]],
  ['dark grey', [45, 45, 45]],
  ['black', [0, 0, 0]],
];

/** RGBA pixels of the generator's PNGs (8-bit RGBA, one IDAT, filter 0 on every row). */
function decode(path: string): { size: number; pixels: number[][] } {
  const file = readFileSync(path);
  const size = file.readUInt32BE(16);
  const data: Buffer[] = [];
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    if (file.toString('ascii', at + 4, at + 8) === 'IDAT') data.push(file.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const pixels: number[][] = [];
  for (let y = 0; y < size; y++) {
    expect(raw[y * (size * 4 + 1)], 'filter type').toBe(0);
    for (let x = 0; x < size; x++) pixels.push([...raw.subarray(y * (size * 4 + 1) + 1 + x * 4, y * (size * 4 + 1) + 5 + x * 4)]);
  }
  return { size, pixels };
}

const luminance = ([r, g, b]: number[]) => {
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
};
const contrast = (a: number[], b: number[]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};
const over = ([r, g, b, a]: number[], panel: number[]) => [r!, g!, b!].map((c, i) => (c * a!) / 255 + panel[i]! * (1 - a! / 255));

describe('tray icons', () => {
  it.each(STATES.flatMap((state) => PANELS.map(([panel, rgb]) => [state, panel, rgb] as const)))('%s on a %s panel: its shape stands out by 3:1', (state, _, panel) => {
    const { pixels } = decode(`resources/tray/${state}.png`);
    // The shape itself (fully covered pixels; the outline and anti-aliased edges are extra).
    const shape = pixels.filter((p) => p[3]! >= 250);
    expect(shape.length).toBeGreaterThan(30);
    const weak = shape.filter((p) => contrast(over(p, panel), panel) < 3);
    expect(weak).toEqual([]);
  });

  it('each state has its own shape (alpha alone differs, so it reads without colour and as a macOS template)', () => {
    const masks = STATES.map((state) => decode(`resources/tray/${state}Template.png`).pixels.map((p) => (p[3]! >= 128 ? 1 : 0)).join(''));
    expect(new Set(masks).size).toBe(STATES.length);
  });

  it('the brand mark (the "2" of Data2CRM) sits inside the ring of the app icon and of every settled state', () => {
    // The ring's inside, away from the badges at the lower right: where the mark is drawn.
    const mark = (path: string) => {
      const { size, pixels } = decode(path);
      return pixels.map((p, i) => {
        const [x, y] = [((i % size) + 0.5) / size, (Math.floor(i / size) + 0.5) / size];
        return Math.hypot(x - 0.5, y - 0.5) < 0.28 && x < 0.6 && y < 0.48 && p[3]! >= 128 ? 1 : 0;
      });
    };
    const ok = mark('resources/tray/okTemplate@2x.png');
    expect(ok.filter(Boolean).length).toBeGreaterThan(25);
    for (const state of ['attention', 'error', 'key-rejected']) expect(mark(`resources/tray/${state}Template@2x.png`), state).toEqual(ok);
    const app = mark('build/icon.png').filter(Boolean).length;
    expect(app / decode('build/icon.png').size ** 2).toBeGreaterThan(0.02);
  });

  it('the paused icon has as much ink as any other: grey, it would fade into a dark panel as thin strokes', () => {
    const ink = (state: string) => decode(`resources/tray/${state}.png`).pixels.filter((p) => p[3]! >= 250).length;
    expect(ink('paused')).toBeGreaterThanOrEqual(Math.max(...STATES.filter((s) => s !== 'paused').map(ink)));
    // Its bars still read as two: a column of clear pixels between them, inside the disc.
    const { size, pixels } = decode('resources/tray/pausedTemplate@2x.png');
    const clear = (x: number) => [...Array(size).keys()].filter((y) => Math.abs(y - size / 2) < size * 0.15).every((y) => pixels[y * size + x]![3]! < 128);
    expect([...Array(size).keys()].filter(clear).length).toBeGreaterThanOrEqual(4);
  });

  it('the committed icons are exactly what scripts/make-icons.mjs draws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2c-icons-'));
    try {
      mkdirSync(join(dir, 'scripts'));
      cpSync('scripts/make-icons.mjs', join(dir, 'scripts/make-icons.mjs'));
      execFileSync(process.execPath, ['scripts/make-icons.mjs'], { cwd: dir });
      const files = readdirSync(join(dir, 'resources/tray'));
      expect(files.sort()).toEqual(readdirSync('resources/tray').sort());
      for (const f of files) expect(readFileSync(join(dir, 'resources/tray', f)).equals(readFileSync(join('resources/tray', f))), f).toBe(true);
      expect(readFileSync(join(dir, 'build/icon.png')).equals(readFileSync('build/icon.png'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
