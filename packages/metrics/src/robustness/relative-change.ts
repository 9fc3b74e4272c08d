import * as tf from '@tensorflow/tfjs-core';

/**
 * Element-wise relative change `(a − b) / (a + [a = 0]·ε)`: a denominator
 * entry gets `ε` added only where it is exactly 0 (Quantus'
 * `relative_*_stability_objective`), so every non-zero entry divides by
 * itself and the ratio does not depend on the scale of `a` and `b`
 * (`relativeChange(c·a, c·b) = relativeChange(a, b)` wherever a ≠ 0).
 */
export function relativeChange(a: tf.Tensor, b: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => tf.div(tf.sub(a, b), tf.add(a, tf.mul(tf.equal(a, 0), epsilon))));
}

/**
 * Element-wise relative change with a floor relative to each row's largest
 * magnitude: `(a − b) / (sign(a)·max(|a|, τ·max|a_row|))` (sign(0) = +1), and
 * the exact-zero rule of {@link relativeChange} for a row that is all zeros.
 * Entries smaller than `τ` times the row's peak count as that floor, so
 * near-zero entries no longer dominate, and the ratio stays invariant under
 * scaling the row. `a`, `b`: `[n, ...]`, rows along axis 0.
 */
export function flooredRelativeChange(
  a: tf.Tensor,
  b: tf.Tensor,
  floor: number,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const [n, ...rest] = a.shape;
    const peak = tf.reshape(tf.max(tf.abs(tf.reshape(a, [n, -1])), 1), [n, ...rest.map(() => 1)]);
    const magnitude = tf.maximum(tf.abs(a), tf.mul(peak, floor));
    const signed = tf.where(tf.less(a, 0), tf.neg(magnitude), magnitude);
    return tf.div(tf.sub(a, b), tf.add(signed, tf.mul(tf.equal(signed, 0), epsilon)));
  });
}
