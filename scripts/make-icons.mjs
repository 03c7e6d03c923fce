// Draws the app and tray icons as PNGs (a ring with a state dot) with no image dependency.
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

const STATES = { ok: [46, 160, 67], attention: [212, 140, 0], error: [207, 34, 46], busy: [84, 110, 140], 'key-rejected': [130, 60, 170] };
const INK = [40, 44, 52];

function icon(size, dot) {
  const px = 1 / size;
  return png(size, (x, y) => {
    const d = Math.hypot(x - 0.5, y - 0.5);
    const ring = Math.min(cover(d, 0.46, px), 1 - cover(d, 0.34, px));
    const dd = Math.hypot(x - 0.74, y - 0.74);
    const dotA = dot ? cover(dd, 0.2, px) : 0;
    if (dotA > 0) return [...dot, Math.max(dotA, ring * (1 - dotA))];
    return [...INK, ring];
  });
}

// macOS template images are drawn from alpha alone (the system colours them), so each state
// needs its own shape there: ring (ok), ring + centre dot (busy), ring + hollow badge (attention),
// ring + solid badge (error), ring + solid square badge (key-rejected: the user key).
function templateIcon(size, state) {
  const px = 1 / size;
  return png(size, (x, y) => {
    const d = Math.hypot(x - 0.5, y - 0.5);
    let a = Math.min(cover(d, 0.46, px), 1 - cover(d, 0.34, px));
    const db = Math.hypot(x - 0.76, y - 0.76);
    if (state === 'busy') a = Math.max(a, cover(d, 0.14, px));
    if (state === 'attention' || state === 'error') {
      a *= 1 - cover(db, 0.26, px); // cut a gap around the badge
      a = Math.max(a, state === 'error' ? cover(db, 0.2, px) : Math.min(cover(db, 0.2, px), 1 - cover(db, 0.11, px)));
    }
    if (state === 'key-rejected') {
      const square = Math.max(Math.abs(x - 0.76), Math.abs(y - 0.76));
      a *= 1 - cover(square, 0.24, px);
      a = Math.max(a, cover(square, 0.17, px));
    }
    return [0, 0, 0, a];
  });
}

mkdirSync('resources/tray', { recursive: true });
for (const state of Object.keys(STATES)) {
  writeFileSync(`resources/tray/${state}Template.png`, templateIcon(16, state));
  writeFileSync(`resources/tray/${state}Template@2x.png`, templateIcon(32, state));
}
for (const [state, colour] of Object.entries(STATES)) {
  writeFileSync(`resources/tray/${state}.png`, icon(16, colour));
  writeFileSync(`resources/tray/${state}@2x.png`, icon(32, colour));
}
mkdirSync('build', { recursive: true });
writeFileSync('build/icon.png', icon(512, STATES.ok));
console.log('icons written');
