import * as tf from '@tensorflow/tfjs-core';

/** The completeness extras of an attribution that should sum to an output difference, each `[b]`. */
export interface CompletenessInfo extends Record<string, tf.Tensor> {
  /** What the map should sum to per sample, e.g. `f_t(x) − f_t(b)`. */
  outputDifference: tf.Tensor1D;
  /** `Σ_i A_i − outputDifference` per sample: 0 up to rounding when completeness holds. */
  completenessGap: tf.Tensor1D;
}

/**
 * The `{ attributions, info }` of a method with a completeness (summation-to-
 * delta) property: `completenessGap = Σ_i A_i − outputDifference`, summing
 * every feature of each sample's `[b, ...]` map.
 *
 * @example
 * return withCompleteness(attributions, tf.sub(ctx.quantity(x), ctx.quantity(baseline)) as tf.Tensor1D);
 */
export function withCompleteness(
  attributions: tf.Tensor,
  outputDifference: tf.Tensor1D,
): { attributions: tf.Tensor; info: CompletenessInfo } {
  const total = tf.sum(tf.reshape(attributions, [attributions.shape[0], -1]), 1);
  return {
    attributions,
    info: { outputDifference, completenessGap: tf.sub(total, outputDifference) as tf.Tensor1D },
  };
}
