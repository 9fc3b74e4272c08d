import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@trustgrad/core-tensor';

/**
 * The logits of `[batch, classes]` at the indices `indices` (`[batch]` int32), `[batch]`:
 * `z_i[indices_i]` as a one-hot product, so gradients flow to the picked logits.
 */
export function pickLogits(logits: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(
    () =>
      tf.sum(
        tf.mul(logits, tf.oneHot(tf.cast(indices, 'int32'), logits.shape[1])),
        1,
      ) as tf.Tensor1D,
  );
}

/**
 * The `k` largest logits of each sample, in decreasing order: `[batch]` tensors
 * `z_π1 ≥ z_π2 ≥ … ≥ z_πk`, differentiable (the ranking itself is not). Ranked by
 * repeated `argMax` rather than `tf.topk`, which has no gradient in tfjs.
 */
export function sortedLogits(logits: tf.Tensor2D, k: number, owner: string): tf.Tensor1D[] {
  if (logits.rank !== 2 || logits.shape[1] < k) {
    throw new ShapeError(
      `${owner}: needs logits [batch, classes] with at least ${k} classes, got [${logits.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    const out: tf.Tensor1D[] = [];
    // Each pick is pushed below the row's minimum so the next argMax finds the next one.
    const drop = tf.add(tf.sub(tf.max(logits, 1, true), tf.min(logits, 1, true)), 1);
    let rest: tf.Tensor2D = logits;
    for (let j = 0; j < k; j++) {
      const top = tf.argMax(rest, 1) as tf.Tensor1D;
      out.push(pickLogits(logits, top));
      rest = tf.sub(rest, tf.mul(tf.oneHot(top, logits.shape[1]), drop));
    }
    return out;
  });
}

/**
 * Per-sample classification margin `m_i = z_i[y_i] − max_{j≠y_i} z_i[j]` (`[batch]`):
 * positive when the sample is classified as `y_i`, ≤ 0 when it is not. Square's loss
 * (Andriushchenko et al. 2020) and the numerator of DLR (Croce & Hein 2020).
 *
 * @param logits `[batch, classes]`, at least 2 classes.
 * @param labels `[batch]` int32.
 * @example
 * marginPerSample(tf.tensor2d([[3, 1, 2]]), tf.tensor1d([0], 'int32')); // [1]
 */
export function marginPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const [first, second] = sortedLogits(logits, 2, 'marginPerSample');
    const own = pickLogits(logits, labels);
    // The best other class is the runner-up when y is on top, else the top one
    // (1/0 from one-hot products: tf.equal and tf.where would cut the gradient).
    const classes = logits.shape[1];
    const yOnTop = tf.sum(
      tf.mul(
        tf.oneHot(tf.argMax(logits, 1), classes),
        tf.oneHot(tf.cast(labels, 'int32'), classes),
      ),
      1,
    );
    const other = tf.add(tf.mul(yOnTop, second), tf.mul(tf.sub(1, yOnTop), first));
    return tf.sub(own, other) as tf.Tensor1D;
  });
}
