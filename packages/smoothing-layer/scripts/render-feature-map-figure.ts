/**
 * Renders docs/feature-map-smoothing.png for the README: four channels of the
 * `conv1` feature map of `fmnistCnn({ seed: 0 })` on a Fashion-MNIST test
 * image, before smoothing and after GaussianSmoothing with σ = 1 and σ = 2
 * (reflect padding). Rows: the input image, then one row per channel;
 * columns: before, σ = 1, σ = 2. Each row shares one grey scale (its
 * "before" map's min..max), so the columns compare directly.
 *
 *   npx tsx --conditions=source scripts/render-feature-map-figure.ts [--images /usr/share/datasets/fashion-mnist] [--index 0]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateSync, gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { fmnistCnn, initBackend, writeAtomic } from '@trustgrad/core-tensor';
import { smoothFeatureMap } from '../src/index';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
    index: { type: 'string', default: '0' },
    out: {
      type: 'string',
      default: join(
        dirname(fileURLToPath(import.meta.url)),
        '..',
        'docs',
        'feature-map-smoothing.png',
      ),
    },
  },
});

const SIDE = 28;
const ZOOM = 4;
const GAP = 6;
const CHANNELS = [0, 5, 11, 20];
const SIGMAS = [1, 2];

await initBackend({ backend: 'cpu', log: () => {} });

const idx = gunzipSync(readFileSync(join(args.images, 't10k-images-idx3-ubyte.gz')));
if (idx.readUInt32BE(0) !== 2051) {
  throw new Error(
    `${args.images}/t10k-images-idx3-ubyte.gz: magic ${idx.readUInt32BE(0)}, expected 2051 (an images file)`,
  );
}
const offset = 16 + Number(args.index) * SIDE * SIDE;
const pixels = Float32Array.from(idx.subarray(offset, offset + SIDE * SIDE), (v) => v / 255);

const model = fmnistCnn({ seed: 0 });
const image = tf.tensor4d(pixels, [1, SIDE, SIDE, 1]);
const before = model.getLayer('conv1').apply(image) as tf.Tensor4D;
const maps = [before, ...SIGMAS.map((sigma) => smoothFeatureMap(before, { sigma }))];
const channelsOf = (t: tf.Tensor4D) => {
  const data = t.dataSync();
  const channels = t.shape[3];
  return CHANNELS.map((c) =>
    Float32Array.from({ length: SIDE * SIDE }, (_, p) => data[p * channels + c]),
  );
};
const columns = maps.map(channelsOf);

// rows: input image (first column only), then one row per channel
const rows = 1 + CHANNELS.length;
const width = maps.length * SIDE * ZOOM + (maps.length + 1) * GAP;
const height = rows * SIDE * ZOOM + (rows + 1) * GAP;
const canvas = new Uint8Array(width * height).fill(255);
const paint = (values: Float32Array, row: number, column: number, lo: number, hi: number) => {
  const x0 = GAP + column * (SIDE * ZOOM + GAP);
  const y0 = GAP + row * (SIDE * ZOOM + GAP);
  for (let y = 0; y < SIDE * ZOOM; y++) {
    for (let x = 0; x < SIDE * ZOOM; x++) {
      const v = values[Math.floor(y / ZOOM) * SIDE + Math.floor(x / ZOOM)];
      canvas[(y0 + y) * width + x0 + x] = Math.round(
        255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo || 1))),
      );
    }
  }
};
paint(pixels, 0, 0, 0, 1);
CHANNELS.forEach((_, k) => {
  const lo = Math.min(...columns[0][k]);
  const hi = Math.max(...columns[0][k]);
  columns.forEach((column, m) => {
    paint(column[k], k + 1, m, lo, hi);
  });
});

writeAtomic(args.out, encodeGreyPng(canvas, width, height));
console.log(
  `wrote ${args.out} (${width}×${height}): rows input + conv1 channels ${CHANNELS.join(', ')}; columns before, ${SIGMAS.map((s) => `σ=${s}`).join(', ')}`,
);
tf.dispose([image, ...maps]);

/** A minimal 8-bit greyscale PNG (signature, IHDR, one zlib IDAT, IEND). */
function encodeGreyPng(grey: Uint8Array, w: number, h: number): Buffer {
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0; // filter type: none
    raw.set(grey.subarray(y * w, (y + 1) * w), y * (w + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 0, 0, 0, 0], 8); // bit depth 8, colour type 0 (grey), deflate, adaptive filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
