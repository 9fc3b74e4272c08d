import * as tf from '@tensorflow/tfjs-core';

/** Marks a tensor as owned by the current batch (disposed when it ends) and returns it. */
export type KeepTensor = <T extends tf.Tensor>(t: T) => T;

/**
 * Runs `body(start, count, keep)` on consecutive batches of `n` samples,
 * `size` at a time (`count` = the batch's size, the last may be smaller), and
 * disposes every tensor handed to `keep` when its batch ends, thrown or not:
 * the async counterpart of `tf.tidy` for loops that await `.data()` or an
 * async explainer between tensor steps, which `tf.tidy` cannot span.
 *
 * @example
 * await forEachBatch(x.shape[0], ctx.batchSize, async (start, g, keep) => {
 *   const xs = keep(tf.slice(x, start, g));
 *   values.push(...(await keep(tf.mean(xs, [1, 2, 3])).data()));
 * });
 */
export async function forEachBatch(
  n: number,
  size: number,
  body: (start: number, count: number, keep: KeepTensor) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < n; start += size) {
    const owned: tf.Tensor[] = [];
    const keep: KeepTensor = (t) => {
      owned.push(t);
      return t;
    };
    try {
      await body(start, Math.min(size, n - start), keep);
    } finally {
      tf.dispose(owned);
    }
  }
}
