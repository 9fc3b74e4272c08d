import * as tf from '@tensorflow/tfjs-core';
import { marginPerSample, pickLogits, sortedLogits } from './margin';

/** Keeps DLR finite when the top logits tie (the reference's constant). */
const DLR_TINY = 1e-12;

/**
 * Difference-of-logits-ratio loss (Croce & Hein 2020, *Reliable evaluation of
 * adversarial robustness with an ensemble of diverse parameter-free attacks*, eq. 5),
 * per sample `[batch]`:
 * `DLR_i = −(z_y − max_{j≠y} z_j) / (z_π1 − z_π3 + 1e−12)`,
 * `z_π1 ≥ z_π2 ≥ z_π3` the sorted logits. Invariant to shifting and to scaling the
 * logits, so saturated softmax outputs do not hide its gradient. Needs ≥ 3 classes.
 * Same formula as `dlr_loss` in fra31/auto-attack `autopgd_base.py`.
 *
 * @param logits `[batch, classes]`.
 * @param labels `[batch]` int32 true classes.
 * @example
 * dlrLossPerSample(tf.tensor2d([[3, 1, 2]]), tf.tensor1d([0], 'int32')); // [−(3−2)/(3−1)] = [−0.5]
 */
export function dlrLossPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const [first, , third] = sortedLogits(logits, 3, 'dlrLossPerSample');
    return tf.div(
      tf.neg(marginPerSample(logits, labels)),
      tf.add(tf.sub(first, third), DLR_TINY),
    ) as tf.Tensor1D;
  });
}

/**
 * Targeted DLR loss (Croce & Hein 2020, eq. 6), per sample `[batch]`, ascended to
 * move `x` from class `y` to class `t`:
 * `DLR-T_i = −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2 + 1e−12)`. Needs ≥ 4 classes.
 * Same formula as `dlr_loss_targeted` in fra31/auto-attack `autopgd_base.py`.
 *
 * @param logits `[batch, classes]`.
 * @param labels `[batch]` int32 true classes.
 * @param targets `[batch]` int32 target classes.
 * @example
 * targetedDlrLossPerSample(tf.tensor2d([[4, 3, 2, 0]]), tf.tensor1d([0], 'int32'), tf.tensor1d([1], 'int32'));
 * // [−(4−3)/(4−(2+0)/2)] = [−1/3]
 */
export function targetedDlrLossPerSample(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  targets: tf.Tensor1D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const [first, , third, fourth] = sortedLogits(logits, 4, 'targetedDlrLossPerSample');
    const gap = tf.sub(pickLogits(logits, labels), pickLogits(logits, targets));
    const scale = tf.add(tf.sub(first, tf.mul(0.5, tf.add(third, fourth))), DLR_TINY);
    return tf.div(tf.neg(gap), scale) as tf.Tensor1D;
  });
}
