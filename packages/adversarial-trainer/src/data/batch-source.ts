import type * as tf from '@tensorflow/tfjs-core';

/** One training batch. The consumer (trainer, evaluator) disposes both tensors after use. */
export interface Batch {
  /** `[batch, h, w, c]` float32 inputs in the data range. */
  x: tf.Tensor4D;
  /** `[batch]` int32 class indices. */
  y: tf.Tensor1D;
}

/**
 * Where the trainer gets its batches. The order of an epoch must depend only
 * on `(epoch, seed)`, so that a resumed run sees the same batches as an
 * unkilled one; `start` skips the first `start` batches of the epoch (the
 * data-order position stored in checkpoints).
 */
export interface BatchSource {
  batches(epoch: number, seed: number, start: number): Iterable<Batch> | AsyncIterable<Batch>;
  /** Batches in one epoch, when known (needed by cosine / one-cycle schedules unless `stepsPerEpoch` is set). */
  readonly batchesPerEpoch?: number;
}

/** The short form of a {@link BatchSource}: a function giving one epoch's batches from its start. */
export type BatchFactory = (epoch: number, seed: number) => Iterable<Batch> | AsyncIterable<Batch>;

/**
 * Wraps a {@link BatchFactory} as a {@link BatchSource}; skipping to `start`
 * draws and disposes the skipped batches, so the factory itself stays simple.
 * Pass `batchesPerEpoch` when the caller knows the epoch length (e.g.
 * `ceil(n / batchSize)`): schedules that depend on it (cosine, one-cycle, step)
 * cannot run without it.
 *
 * @example
 * const source = toBatchSource((epoch, seed) => split.batches({ batchSize: 64, shuffle: true, seed, epoch }),
 *   Math.ceil(split.length / 64));
 */
export function toBatchSource(
  data: BatchSource | BatchFactory,
  batchesPerEpoch?: number,
): BatchSource {
  if (typeof data !== 'function') return data;
  return {
    ...(batchesPerEpoch === undefined ? {} : { batchesPerEpoch }),
    async *batches(epoch, seed, start) {
      let index = 0;
      for await (const batch of data(epoch, seed)) {
        if (index++ < start) {
          batch.x.dispose();
          batch.y.dispose();
          continue;
        }
        yield batch;
      }
    },
  };
}
