import * as tf from '@tensorflow/tfjs-core';

/** Smallest norm treated as non-zero when dividing by a norm (avoids 0/0 on flat gradients). */
const TINY = 1e-12;

/**
 * Per-sample L2 norm of an NHWC batch, shaped `[batch, 1, 1, 1]` so it
 * broadcasts against the batch: `‖t_i‖₂ = sqrt(Σ_{h,w,c} t_ihwc²)`.
 */
export function l2NormPerSample(t: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(t), [1, 2, 3], true)) as tf.Tensor4D);
}

/** `t / ‖t‖₂` per sample (0 where the sample's norm is 0). */
export function normaliseL2(t: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => tf.div(t, tf.maximum(l2NormPerSample(t), TINY)) as tf.Tensor4D);
}

/** Projects `delta` onto the L∞ ball of radius `eps` (`[batch,1,1,1]`): `clip(δ, −ε, ε)`. */
export function projectLinf(delta: tf.Tensor, eps: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => tf.minimum(tf.maximum(delta, tf.neg(eps)), eps) as tf.Tensor4D);
}

/** Projects `delta` onto the L2 ball of radius `eps` (`[batch,1,1,1]`): `δ · min(1, ε/‖δ‖₂)`. */
export function projectL2(delta: tf.Tensor, eps: tf.Tensor): tf.Tensor4D {
  return tf.tidy(
    () =>
      tf.mul(
        delta,
        tf.minimum(1, tf.div(eps, tf.maximum(l2NormPerSample(delta), TINY))),
      ) as tf.Tensor4D,
  );
}

/** Clips `t` to the data range `[lo, hi]`. */
export function clipToRange(t: tf.Tensor, range: readonly [number, number]): tf.Tensor4D {
  return tf.clipByValue(t, range[0], range[1]) as tf.Tensor4D;
}
