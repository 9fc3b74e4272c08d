// Test-only helpers that write small files in the official dataset formats.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { IMAGENETTE_CLASSES } from '../imagenette/imagenette-classes';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `trustgrad-${prefix}-`));
}

/** An IDX file of unsigned bytes: magic 0x0000 08 <rank>, big-endian dims, data. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  for (let k = 0; k < dims.length; k++) header.writeUInt32BE(dims[k], 4 + 4 * k);
  return Buffer.concat([header, Buffer.from(data)]);
}

/** Deterministic test pixels: image i, pixel p → (7 i + 3 p) mod 256. */
export function pixelValue(i: number, p: number): number {
  return (7 * i + 3 * p) % 256;
}

/** Writes the four Fashion-MNIST files (gzipped or raw) with n train / m test images. */
export function writeFashionMnist(
  dir: string,
  options: { train: number; test: number; gzip: boolean },
): { trainLabels: number[]; testLabels: number[] } {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, bytes: Uint8Array) =>
    writeFileSync(
      join(dir, options.gzip ? `${name}.gz` : name),
      options.gzip ? gzipSync(bytes) : bytes,
    );
  const make = (prefix: string, n: number, offset: number) => {
    const images = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++)
      for (let p = 0; p < 784; p++) images[i * 784 + p] = pixelValue(i + offset, p);
    const labels = Array.from({ length: n }, (_, i) => (i + offset) % 10);
    write(`${prefix}-images-idx3-ubyte`, idxBytes([n, 28, 28], images));
    write(`${prefix}-labels-idx1-ubyte`, idxBytes([n], Uint8Array.from(labels)));
    return labels;
  };
  return {
    trainLabels: make('train', options.train, 0),
    testLabels: make('t10k', options.test, 1000),
  };
}

/** One CIFAR-10 binary record: label, then R, G, B planes; pixel (c, p) = (label·31 + i·5 + c·50 + p) mod 256. */
export function cifarRecord(label: number, i: number): Uint8Array {
  const record = new Uint8Array(3073);
  record[0] = label;
  for (let c = 0; c < 3; c++)
    for (let p = 0; p < 1024; p++) record[1 + c * 1024 + p] = cifarPixel(label, i, c, p);
  return record;
}

export function cifarPixel(label: number, i: number, c: number, p: number): number {
  return (label * 31 + i * 5 + c * 50 + p) % 256;
}

export const CIFAR_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/** Writes cifar-10-batches-bin/ under `root` with `perBatch` records in each of the six files. Record k of batch b has label (b + k) % 10. */
export function writeCifarFolder(root: string, perBatch: number): string {
  const dir = join(root, 'cifar-10-batches-bin');
  mkdirSync(dir, { recursive: true });
  const files = [
    'data_batch_1.bin',
    'data_batch_2.bin',
    'data_batch_3.bin',
    'data_batch_4.bin',
    'data_batch_5.bin',
    'test_batch.bin',
  ];
  files.forEach((name, b) => {
    const records = Array.from({ length: perBatch }, (_, k) =>
      cifarRecord((b + k) % 10, b * perBatch + k),
    );
    writeFileSync(join(dir, name), Buffer.concat(records));
  });
  writeFileSync(join(dir, 'batches.meta.txt'), `${CIFAR_NAMES.join('\n')}\n\n`);
  writeFileSync(join(dir, 'readme.html'), '<html>CIFAR-10</html>');
  return dir;
}

/** Packs `folder` (relative to `cwd`) into a .tar.gz with the system's GNU tar, like the official archive. */
export function tarGz(cwd: string, folder: string, archive: string): string {
  execFileSync('tar', ['-czf', archive, '-C', cwd, folder]);
  return archive;
}

/** A 72×24 JPEG: left third red, middle third the class colour, right third blue. */
export async function bandsJpeg(label: number): Promise<Buffer> {
  const w = 72;
  const h = 24;
  const raw = Buffer.alloc(w * h * 3);
  const mid = [label * 25, 255 - label * 25, 128];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const rgb = x < 24 ? [255, 0, 0] : x < 48 ? mid : [0, 0, 255];
      raw.set(rgb, (y * w + x) * 3);
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** Writes <root>/{train,val}/<wnid>/ with `perClass` JPEGs each. */
export async function writeImagenette(root: string, perClass = 2): Promise<void> {
  for (const split of ['train', 'val']) {
    for (const [label, { wnid }] of IMAGENETTE_CLASSES.entries()) {
      const dir = join(root, split, wnid);
      mkdirSync(dir, { recursive: true });
      const jpeg = await bandsJpeg(label);
      for (let k = 0; k < perClass; k++) writeFileSync(join(dir, `${wnid}_${k}.JPEG`), jpeg);
    }
  }
}
