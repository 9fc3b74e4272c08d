// Fashion-MNIST test images for the benchmarks (seeded random images when the IDX file is absent).
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';

const FMNIST_DIR = process.env.FMNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

/** First `count` Fashion-MNIST test images as [count, 28, 28, 1] in [0, 1] (IDX3: magic 2051, n, rows, cols, bytes). */
export function readFmnistTest(count: number): { x: tf.Tensor4D; source: string } {
  const file = `${FMNIST_DIR}/t10k-images-idx3-ubyte.gz`;
  if (!existsSync(file)) {
    console.error(`[bench] ${file} not found; using seeded uniform random images instead`);
    return {
      x: tf.randomUniform([count, 28, 28, 1], 0, 1, 'float32', 0) as tf.Tensor4D,
      source: 'random-uniform',
    };
  }
  const buf = gunzipSync(readFileSync(file));
  const magic = buf.readUInt32BE(0);
  if (magic !== 2051)
    throw new Error(`${file}: magic ${magic}, expected 2051 (is this a labels file?)`);
  const [n, rows, cols] = [buf.readUInt32BE(4), buf.readUInt32BE(8), buf.readUInt32BE(12)];
  const take = Math.min(count, n);
  const pixels = new Float32Array(take * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = buf[16 + i] / 255;
  return { x: tf.tensor4d(pixels, [take, rows, cols, 1]), source: 'fashion-mnist t10k' };
}

/** First `count` images and labels of a Fashion-MNIST split (`'train'` or `'t10k'`), images in [0, 1]; fails when the files are absent. */
export function readFmnist(
  split: 'train' | 't10k',
  count: number,
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const images = gunzipSync(readFileSync(`${FMNIST_DIR}/${split}-images-idx3-ubyte.gz`));
  const labels = gunzipSync(readFileSync(`${FMNIST_DIR}/${split}-labels-idx1-ubyte.gz`));
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) {
    throw new Error(`${FMNIST_DIR}/${split}-*: bad IDX magic (expected 2051 images, 2049 labels)`);
  }
  const take = Math.min(count, images.readUInt32BE(4));
  const pixels = new Float32Array(take * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images[16 + i] / 255;
  return {
    x: tf.tensor4d(pixels, [take, 28, 28, 1]),
    y: tf.tensor1d(Int32Array.from(labels.subarray(8, 8 + take)), 'int32'),
  };
}
