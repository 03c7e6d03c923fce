// Draws the app and tray icons as PNGs (a ring with a shape per state) with no image dependency.
// Run once after changing colours or sizes: `node scripts/make-icons.mjs`; the PNGs are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
};

function png(size, paint) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = paint((x + 0.5) / size, (y + 0.5) / size);
      raw.set([r, g, b, Math.round(a * 255)], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// Coverage of a pixel by a disc/ring, anti-aliased over one pixel width.
const cover = (d, edge, px) => Math.max(0, Math.min(1, (edge - d) / px + 0.5));

// Mid-luminance colours (relative luminance ≈ 0.205): each stands out by 3.3:1 or more on white,
// light grey (#e8e8e8), dark grey (#2d2d2d) and black panels (test/static/tray-icons.test.ts).
const STATES = { ok: [40, 143, 59], attention: [196, 104, 0], error: [234, 53, 67], busy: [100, 127, 162], 'key-rejected': [160, 96, 210], paused: [118, 126, 137] };

// Distance from (x, y) to the segment (ax, ay)–(bx, by).
function toSegment(x, y, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

// The brand mark inside the ring: the "2" of Data2CRM, one stroke (an arc over the top, a
// diagonal down to the left, a bar along the bottom), thick enough to read at 16 px.
const TWO = { cx: 0.5, cy: 0.405, r: 0.105, half: 0.05 };
function brand(x, y, px) {
  // Screen angles (y grows downwards): the arc starts a little below the left (2.8 rad), runs over
  // the top (−π/2) and ends at the lower right (0.6 rad, about 35° below east).
  const angle = Math.atan2(y - TWO.cy, x - TWO.cx);
  const arc = angle <= 0.6 || angle >= 2.8 ? Math.abs(Math.hypot(x - TWO.cx, y - TWO.cy) - TWO.r) : Infinity;
  const endX = TWO.cx + TWO.r * Math.cos(0.6);
  const endY = TWO.cy + TWO.r * Math.sin(0.6);
  // The arc's free end is round, like the rest of the stroke.
  const start = Math.hypot(x - TWO.cx - TWO.r * Math.cos(2.8), y - TWO.cy - TWO.r * Math.sin(2.8));
  const d = Math.min(arc, start, toSegment(x, y, endX, endY, 0.395, 0.625), toSegment(x, y, 0.395, 0.625, 0.615, 0.625));
  return cover(d, TWO.half, px);
}

// Each state has its own shape (alpha alone), so it reads without colour and in macOS template
// images (the system colours those): ring + brand mark (ok), ring + centre dot (busy), ring +
// mark + hollow badge (attention), ring + mark + solid badge (error), ring + mark + solid square
// badge (key-rejected: the user key), a solid disc with two bars cut out (paused: as much ink as
// the others, so it does not fade into a dark panel).
function shape(x, y, state, px) {
  const d = Math.hypot(x - 0.5, y - 0.5);
  let a = Math.min(cover(d, 0.46, px), 1 - cover(d, 0.32, px));
  const db = Math.hypot(x - 0.76, y - 0.76);
  if (state === 'busy') a = Math.max(a, cover(d, 0.15, px));
  else if (state !== 'paused') a = Math.max(a, brand(x, y, px));
  if (state === 'attention' || state === 'error') {
    a *= 1 - cover(db, 0.27, px); // cut a gap around the badge
    a = Math.max(a, state === 'error' ? cover(db, 0.21, px) : Math.min(cover(db, 0.21, px), 1 - cover(db, 0.11, px)));
  }
  if (state === 'key-rejected') {
    const square = Math.max(Math.abs(x - 0.76), Math.abs(y - 0.76));
    a *= 1 - cover(square, 0.25, px);
    a = Math.max(a, cover(square, 0.18, px));
  }
  if (state === 'paused') {
    // Two bars cut out of a solid disc, with almost two pixels between them at 16 px.
    const bar = (cx) => Math.min(cover(Math.abs(x - cx), 0.07, px), cover(Math.abs(y - 0.5), 0.2, px));
    a = Math.min(cover(d, 0.46, px), 1 - Math.max(bar(0.39), bar(0.61)));
  }
  return a;
}

const templateIcon = (size, state) => png(size, (x, y) => [0, 0, 0, shape(x, y, state, 1 / size)]);

// Where the outline may go: around the outside of the ring and its badge, never into the holes
// (the ring's inside, the hollow badge's centre): filled with grey at 16 px, they made the busy,
// paused and attention shapes read as blobs on light panels.
const outlineAllowed = (x, y, state) => (state === 'paused' || Math.hypot(x - 0.5, y - 0.5) >= 0.39) && !(state === 'attention' && Math.hypot(x - 0.76, y - 0.76) < 0.16);

// Colour icons: the shape in the state's colour over a one-pixel dark outline, so the ring stays
// visible on light panels and the colour on dark ones.
function icon(size, state) {
  const px = 1 / size;
  const colour = STATES[state];
  return png(size, (x, y) => {
    const a = shape(x, y, state, px);
    if (!outlineAllowed(x, y, state)) return a === 0 ? [0, 0, 0, 0] : [...colour, a];
    let outline = 0;
    for (const [dx, dy] of [[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [1, 1], [-1, 1], [1, -1]]) outline = Math.max(outline, shape(x + dx * px, y + dy * px, state, px));
    const o = outline * 0.55 * (1 - a);
    const alpha = a + o;
    if (alpha === 0) return [0, 0, 0, 0];
    const mix = (c) => Math.round((c * a) / alpha);
    return [mix(colour[0]), mix(colour[1]), mix(colour[2]), alpha];
  });
}

mkdirSync('resources/tray', { recursive: true });
for (const state of Object.keys(STATES)) {
  writeFileSync(`resources/tray/${state}Template.png`, templateIcon(16, state));
  writeFileSync(`resources/tray/${state}Template@2x.png`, templateIcon(32, state));
}
for (const state of Object.keys(STATES)) {
  writeFileSync(`resources/tray/${state}.png`, icon(16, state));
  writeFileSync(`resources/tray/${state}@2x.png`, icon(32, state));
}
mkdirSync('build', { recursive: true });
writeFileSync('build/icon.png', icon(512, 'ok'));
console.log('icons written');
