import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/**
 * Sample weights of explanation-consistency training (Wu et al. 2024):
 * `w_i = n · softmax(−c / T)_i`, so `mean_i w_i = 1` and less consistent
 * samples weigh more. `c` `[batch]` consistencies, `T > 0` the temperature
 * (small T: the least consistent samples take all the weight; large T: all 1).
 */
export function consistencyWeights(consistency: tf.Tensor1D, temperature = 1): tf.Tensor1D {
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new InvalidOptionError(`temperature T must be a finite number > 0, got ${temperature}`);
  }
  return tf.tidy(
    () =>
      tf.mul(
        tf.softmax(tf.div(tf.neg(consistency), temperature)),
        consistency.shape[0],
      ) as tf.Tensor1D,
  );
}
