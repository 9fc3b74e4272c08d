import * as tf from '@tensorflow/tfjs-core';

/**
 * One-hot rows `[n, classes]` (float32) for int targets `[n]`. Unlike
 * `tf.oneHot` it accepts a single class, so one-logit models work.
 */
export function classMask(target: tf.Tensor, classes: number): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.cast(
        tf.equal(
          tf.reshape(tf.range(0, classes, 1, 'int32'), [1, classes]),
          tf.reshape(tf.cast(target, 'int32'), [-1, 1]),
        ),
        'float32',
      ) as tf.Tensor2D,
  );
}
