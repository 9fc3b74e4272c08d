import * as tf from '@tensorflow/tfjs-core';
import { defineMetric } from '../metric/define-metric';

/** Quantus' guard inside the logarithm of {@link attributionEntropy}. */
const LOG_EPSILON = 1e-12;

/**
 * Shannon entropy (nats) of each sample's normalised |attribution| (Bhatt et
 * al. 2020; Quantus' `Complexity`): with `p_i = |a_i| / Σ_j |a_j|` over the
 * flattened `[h, w, c]` map,
 *
 * `H = −Σ_i p_i · ln(p_i + 10⁻¹²)`.
 *
 * One non-zero entry → ≈ 0; uniform over d entries → ≈ ln d (the maximum).
 * An all-zero map, NaN in Quantus (0/0), counts as uniform here (as
 * {@link giniIndex} does: nothing stands out).
 *
 * @param attributions `[batch, ...]`, flattened per sample.
 * @returns `[batch]` entropies in [0, ln d].
 */
export function attributionEntropy(attributions: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const batch = attributions.shape[0];
    const a = tf.abs(tf.reshape(attributions, [batch, -1]));
    const d = a.shape[1]!;
    const l1 = tf.sum(a, 1, true);
    const nonZero = tf.greater(l1, 0);
    const safeL1 = tf.where(nonZero, l1, tf.onesLike(l1));
    const p = tf.where(
      tf.broadcastTo(nonZero, a.shape),
      tf.div(a, safeL1),
      tf.fill(a.shape, 1 / d),
    );
    return tf.neg(tf.sum(tf.mul(p, tf.log(tf.add(p, LOG_EPSILON))), 1)) as tf.Tensor1D;
  });
}

/** Complexity: entropy of the normalised |attribution| (lower = simpler), see {@link attributionEntropy}. */
export const complexity = defineMetric(
  {
    name: 'complexity',
    description:
      'complexity (Bhatt et al. 2020; Quantus): entropy −Σ p ln p of p = |a|/Σ|a| per sample; ≈ 0 one-hot, ln d uniform',
    higherIsBetter: false,
    requires: ['explanations'],
    defaults: {},
    async compute(ctx) {
      const h = attributionEntropy(ctx.explanations!);
      try {
        return { values: await h.data() };
      } finally {
        h.dispose();
      }
    },
  },
  { replace: true },
);
