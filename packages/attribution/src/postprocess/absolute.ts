import * as tf from '@tensorflow/tfjs-core';

/** `|A|` elementwise: the magnitude of an attribution map, any shape. */
export function absolute(attributions: tf.Tensor): tf.Tensor {
  return tf.abs(attributions);
}
