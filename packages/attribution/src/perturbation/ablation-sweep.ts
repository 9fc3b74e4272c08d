import * as tf from '@tensorflow/tfjs-core';
import type { ExplainContext } from '../core/explain-context';

/**
 * Makes the masks of perturbations `first .. first + count − 1`: a float 0/1
 * tensor `[count, 1 | b, ...sample]` (1 = replaced by the baseline), shared by
 * the batch (`1`) or one per sample (`b`).
 */
export type MaskChunk = (first: number, count: number) => tf.Tensor;

/**
 * The perturbation loop shared by Occlusion and Feature Ablation (Captum's
 * `FeatureAblation.attribute`): for every mask `M_k`, the ablated input
 * `x_k = x ⊙ (1 − M_k) + b ⊙ M_k` is scored, and the output drop
 * `f_t(x) − f_t(x_k)` is added to every feature the mask covers:
 * `A = Σ_k (f_t(x) − f_t(x_k)) M_k`, `[b, ...]` like `x`.
 *
 * `floor(batchSize / b)` perturbations of the whole batch go through the
 * model per pass (Captum's `perturbations_per_eval`), so a forward pass holds
 * at most `batchSize` images whatever the number of masks.
 */
export function ablationSweep(
  ctx: ExplainContext,
  x: tf.Tensor,
  baseline: tf.Tensor,
  perturbations: number,
  masks: MaskChunk,
): tf.Tensor {
  const b = x.shape[0];
  const sampleShape = x.shape.slice(1);
  const perPass = Math.max(1, Math.floor(ctx.batchSize / b));
  const original = ctx.quantity(x);
  let total: tf.Tensor = tf.zerosLike(x);
  for (let first = 0; first < perturbations; first += perPass) {
    const count = Math.min(perPass, perturbations - first);
    const next = tf.tidy(() => {
      const m = masks(first, count);
      const ablated = tf.add(
        tf.mul(tf.expandDims(x, 0), tf.sub(1, m)),
        tf.mul(tf.expandDims(baseline, 0), m),
      );
      const scores = ctx.quantity(tf.reshape(ablated, [count * b, ...sampleShape]));
      const drop = tf.reshape(tf.sub(tf.expandDims(original, 0), tf.reshape(scores, [count, b])), [
        count,
        b,
        ...sampleShape.map(() => 1),
      ]);
      return tf.add(total, tf.sum(tf.mul(drop, m), 0));
    });
    total.dispose();
    total = next;
  }
  original.dispose();
  return total;
}
