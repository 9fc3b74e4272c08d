import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Debian's dataset-fashion-mnist location. */
export const FMNIST_DIR = '/usr/share/datasets/fashion-mnist';

export function hasFashionMnist(): boolean {
  return existsSync(join(FMNIST_DIR, 'train-images-idx3-ubyte.gz'));
}

/** Reads the first `limit` images (scaled to [0, 1]) and labels of a Fashion-MNIST split from gzip IDX files. */
export function readFashionMnist(
  split: 'train' | 't10k',
  limit: number,
): { images: Float32Array; labels: Int32Array; n: number } {
  const images = gunzipSync(readFileSync(join(FMNIST_DIR, `${split}-images-idx3-ubyte.gz`)));
  const labels = gunzipSync(readFileSync(join(FMNIST_DIR, `${split}-labels-idx1-ubyte.gz`)));
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) {
    throw new Error(`${FMNIST_DIR}: unexpected IDX magic numbers`);
  }
  const n = Math.min(limit, images.readUInt32BE(4));
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images[16 + i] / 255;
  return { images: pixels, labels: Int32Array.from(labels.subarray(8, 8 + n)), n };
}
