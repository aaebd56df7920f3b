// Generates the app's PNG icons (plain, maskable, Apple touch) with node:zlib only; run once, commit the output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BRAND = [0x0f, 0x5c, 0x4d];
const PAPER = [0xff, 0xff, 0xff];
const INK = [0x9c, 0xc9, 0xbd];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A receipt (paper with ruled lines and a folded corner) on the brand colour; `inset` is the safe-zone share. */
function pixel(x, y, size, inset) {
  const pad = size * inset;
  const left = pad + size * 0.17;
  const right = size - pad - size * 0.17;
  const top = pad + size * 0.08;
  const bottom = size - pad - size * 0.08;
  const w = right - left;
  const fold = w * 0.28;
  if (x < left || x > right || y < top || y > bottom) return BRAND;
  if (x > right - fold && y < top + fold) return x - (right - fold) > y - top ? BRAND : INK;
  const rel = (y - top) / (bottom - top);
  const inLineBand = [0.35, 0.5, 0.65, 0.8].some((r) => Math.abs(rel - r) < 0.03);
  const lineEnd = rel > 0.75 ? left + w * 0.55 : right - w * 0.15;
  if (inLineBand && x > left + w * 0.15 && x < lineEnd) return INK;
  return PAPER;
}

function png(size, inset) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x + 0.5, y + 0.5, size, inset), row + 1 + x * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
// Maskable icons keep their content inside the central 80% circle, hence the wider inset.
const icons = [
  ['icon-192.png', 192, 0.04],
  ['icon-512.png', 512, 0.04],
  ['maskable-512.png', 512, 0.12],
  ['apple-touch-icon-180.png', 180, 0.06],
];
for (const [name, size, inset] of icons) {
  writeFileSync(join(OUT, name), png(size, inset));
  process.stdout.write(`wrote ${name}\n`);
}
