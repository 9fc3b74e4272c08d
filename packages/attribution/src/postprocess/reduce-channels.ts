import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';

/** How to fold the channels of a map into one value per pixel. */
export type ChannelReduction = 'sum' | 'max' | 'l2' | 'abs-sum' | 'abs-max';

/**
 * Folds the channel axis of an NHWC map `[b, h, w, c]` into `[b, h, w, 1]`:
 * `'sum'` Σ_c a_c (signed), `'max'` max_c a_c, `'l2'` √(Σ_c a_c²),
 * `'abs-sum'` Σ_c |a_c|, `'abs-max'` max_c |a_c|.
 */
export function reduceChannels(
  attributions: tf.Tensor,
  reduction: ChannelReduction = 'sum',
): tf.Tensor4D {
  if (attributions.rank !== 4) {
    throw new ShapeError(
      `reduceChannels needs an NHWC map [b, h, w, c], got shape [${attributions.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    switch (reduction) {
      case 'sum':
        return tf.sum(attributions, 3, true);
      case 'max':
        return tf.max(attributions, 3, true);
      case 'l2':
        return tf.sqrt(tf.sum(tf.square(attributions), 3, true));
      case 'abs-sum':
        return tf.sum(tf.abs(attributions), 3, true);
      case 'abs-max':
        return tf.max(tf.abs(attributions), 3, true);
      default:
        throw new InvalidOptionError(
          `channel reduction "${String(reduction)}" is unknown; use sum, max, l2, abs-sum or abs-max`,
        );
    }
  }) as tf.Tensor4D;
}
