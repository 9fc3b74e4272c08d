import * as tf from '@tensorflow/tfjs-core';

/**
 * Like `mapBatches`, for an async `fn` (explainers may be async): applies it to
 * `batchSize`-sized slices of `x` along axis 0 and concatenates the results.
 * `fn` owns nothing it is given; the slices are disposed here.
 */
export async function mapBatchesAsync(
  x: tf.Tensor4D,
  batchSize: number,
  fn: (chunk: tf.Tensor4D) => Promise<tf.Tensor>,
): Promise<tf.Tensor> {
  const n = x.shape[0];
  if (n <= batchSize) return fn(x);
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const chunk = tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
      try {
        parts.push(await fn(chunk));
      } finally {
        chunk.dispose();
      }
    }
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}
