import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/** Options of {@link clipPercentile}: percentiles in [0, 100]. */
export interface ClipPercentileOptions {
  /** Values below this percentile of the sample are raised to it. Default 0 (no clipping below). */
  lower?: number;
  /** Values above this percentile of the sample are lowered to it. Default 99. */
  upper?: number;
}

/**
 * Clips each sample of `[b, ...]` to `[P_lower, P_upper]` of its own values
 * (percentiles with linear interpolation, as `numpy.percentile`). Clipping the
 * top 1 % keeps a few extreme pixels from washing out a heatmap.
 */
export function clipPercentile(
  attributions: tf.Tensor,
  options: ClipPercentileOptions = {},
): tf.Tensor {
  const { lower = 0, upper = 99 } = options;
  if (!(lower >= 0 && upper <= 100 && lower <= upper)) {
    throw new InvalidOptionError(
      `percentiles must satisfy 0 ≤ lower ≤ upper ≤ 100, got lower=${lower}, upper=${upper}`,
    );
  }
  return tf.tidy(() => {
    const b = attributions.shape[0];
    const flat = tf.reshape(attributions, [b, -1]);
    const lo = percentile(flat, lower);
    const hi = percentile(flat, upper);
    return tf.reshape(tf.minimum(tf.maximum(flat, lo), hi), attributions.shape);
  });
}

/** The `p`-th percentile of each row of `[b, n]`, as `[b, 1]` (linear interpolation). */
export function percentile(rows: tf.Tensor2D | tf.Tensor, p: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, n] = rows.shape as [number, number];
    const descending = tf.topk(rows as tf.Tensor2D, n, true).values;
    const position = (p / 100) * (n - 1); // index in ascending order
    const below = Math.floor(position);
    const above = Math.min(n - 1, below + 1);
    const frac = position - below;
    const at = (i: number) => tf.slice(descending, [0, n - 1 - i], [b, 1]);
    return tf.add(tf.mul(at(below), 1 - frac), tf.mul(at(above), frac)) as tf.Tensor2D;
  });
}
