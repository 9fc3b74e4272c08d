import * as tf from '@tensorflow/tfjs-core';
import {
  assertRank,
  InvalidOptionError,
  mixSeed,
  SeededRandom,
  ShapeError,
} from '@trustgrad/core-tensor';
import type { Batch, BatchSource } from './batch-source';

/** Options of {@link inMemoryBatchSource}. */
export interface InMemoryBatchSourceOptions {
  /** `[n, h, w, c]` inputs; stays owned by the caller (batches are copies). */
  x: tf.Tensor4D;
  /** `[n]` labels (cast to int32). */
  y: tf.Tensor1D;
  batchSize: number;
  /** Reshuffle every epoch from `(seed, epoch)`. Default true. */
  shuffle?: boolean;
  /** Drop the last incomplete batch. Default false. */
  dropRemainder?: boolean;
}

/**
 * A {@link BatchSource} over tensors held in memory: each epoch is a seeded
 * permutation (the same `(seed, epoch)` gives the same order on every backend).
 *
 * @example
 * const source = inMemoryBatchSource({ x: images, y: labels, batchSize: 64 });
 * await train(model, source, { epochs: 2, seed: 0 });
 */
export function inMemoryBatchSource(options: InMemoryBatchSourceOptions): BatchSource {
  const { x, y, batchSize, shuffle = true, dropRemainder = false } = options;
  assertRank(x, 4, 'inMemoryBatchSource: x', 'an NHWC batch [n, height, width, channels]');
  assertRank(y, 1, 'inMemoryBatchSource: y', 'one class index per sample');
  const n = x.shape[0];
  if (y.shape[0] !== n)
    throw new ShapeError(`inMemoryBatchSource: x has ${n} samples but y has ${y.shape[0]}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new InvalidOptionError(
      `inMemoryBatchSource: batchSize must be an integer ≥ 1, got ${batchSize}`,
    );
  }
  const batchesPerEpoch = dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  return {
    batchesPerEpoch,
    *batches(epoch: number, seed: number, start: number): Iterable<Batch> {
      const order = shuffle
        ? epochPermutation(n, seed, epoch)
        : Int32Array.from({ length: n }, (_, i) => i);
      for (let b = start; b < batchesPerEpoch; b++) {
        const indices = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
        yield tf.tidy(() => {
          const idx = tf.tensor1d(indices, 'int32');
          return {
            x: tf.gather(x, idx) as tf.Tensor4D,
            y: tf.cast(tf.gather(y, idx), 'int32') as tf.Tensor1D,
          };
        });
      }
    },
  };
}

/**
 * The sample order of one epoch: a permutation seeded by `(seed, epoch)` only,
 * through core-tensor's `mixSeed(seed, 'batch-order', epoch)`.
 */
export function epochPermutation(n: number, seed: number, epoch: number): Int32Array {
  return new SeededRandom(mixSeed(seed, 'batch-order', epoch)).permutation(n);
}
