import * as tf from '@tensorflow/tfjs-core';
import { defineMetric } from '../metric/define-metric';

/**
 * Gini index of `|a|` for each sample of an attribution batch, on the backend:
 * `G = 1 − 2 Σ_{k=1..n} (a_(k)/‖a‖₁)·(n − k + ½)/n` with `a_(k)` sorted ascending
 * (Chalasani et al. 2020; Hurley & Rickard 2009). Sorting descending with
 * `tf.topk` turns the weight of the j-th largest (j from 0) into `(j + ½)/n`.
 * Uniform → 0, one non-zero entry → `1 − 1/n`; all-zero → 0 by convention
 * (as uniform: nothing stands out).
 *
 * @param attributions `[batch, ...]`, flattened per sample over every other axis.
 * @returns `[batch]` Gini indices in [0, 1 − 1/n].
 */
export function giniIndex(attributions: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const batch = attributions.shape[0];
    const a = tf.abs(tf.reshape(attributions, [batch, -1]));
    const n = a.shape[1]!;
    const sorted = tf.topk(a, n, true).values;
    const weights = tf.div(tf.add(tf.range(0, n, 1, 'float32'), 0.5), n);
    const l1 = tf.sum(a, 1);
    const weighted = tf.sum(tf.mul(sorted, weights), 1);
    const safeL1 = tf.where(tf.greater(l1, 0), l1, tf.onesLike(l1));
    const gini = tf.sub(1, tf.mul(2, tf.div(weighted, safeL1)));
    return tf.where(tf.greater(l1, 0), gini, tf.zerosLike(gini)) as tf.Tensor1D;
  });
}

/**
 * Gini sparsity of explanations (higher = sparser): {@link giniIndex} of each
 * sample's `|attribution|` flattened over h, w and c. A constant (or all-zero)
 * explanation gives 0.
 */
export const giniSparsity = defineMetric(
  {
    name: 'gini',
    description:
      'Gini sparsity (Chalasani et al. 2020) of |attribution| per sample: 0 uniform, 1 − 1/n one-hot',
    higherIsBetter: true,
    requires: ['explanations'],
    defaults: {},
    async compute(ctx) {
      const g = giniIndex(ctx.explanations!);
      try {
        return { values: await g.data() };
      } finally {
        g.dispose();
      }
    },
  },
  { replace: true },
);
