import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/**
 * The background of explanation maps: 1 where a pixel's value is at or below
 * its sample's q-quantile, 0 elsewhere (the foreground). The one background
 * rule of explanation consistency: the `explanationConsistency` metric and the
 * `explanation-consistency` training objective (adversarial-trainer) both use it.
 *
 * @param map `[batch, h, w, 1]` non-negative maps (e.g. Grad-CAM upsampled).
 * @param q quantile in [0, 1) (0.5: the lower half of the pixels). The quantile is
 *   the order statistic `a_(⌊q·(n−1)⌋)` of the `n` ascending values, so without
 *   ties the background holds `⌊q·(n−1)⌋ + 1` pixels; ties at the quantile
 *   (e.g. the zeros of a ReLU map) all go to the background.
 * @returns `[batch, h, w, 1]` float32 mask in {0, 1}.
 */
export function backgroundMask(map: tf.Tensor4D, q: number): tf.Tensor4D {
  if (!(Number.isFinite(q) && q >= 0 && q < 1)) {
    throw new InvalidOptionError(
      `background quantile q must lie in [0, 1), got ${q} (0.5 = the lower half of the map)`,
    );
  }
  return tf.tidy(() => {
    const n = map.shape[0];
    const flat = tf.reshape(map, [n, -1]);
    const size = flat.shape[1] as number;
    const descending = tf.topk(flat, size, true).values;
    const index = size - 1 - Math.floor(q * (size - 1));
    const threshold = tf.slice(descending, [0, index], [n, 1]);
    return tf.reshape(tf.cast(tf.lessEqual(flat, threshold), 'float32'), map.shape) as tf.Tensor4D;
  });
}
