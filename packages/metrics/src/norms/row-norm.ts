import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/** Checks a p-norm order: p ≥ 1 or Infinity. */
export function checkNormOrder(p: number, name = 'p'): void {
  if (!(p >= 1)) {
    throw new InvalidOptionError(`${name} must be ≥ 1 or Infinity (a norm), got ${p}`);
  }
}

/** `‖row‖_p` of every row of `t` flattened past axis 0: `[n]`. p ≥ 1 or Infinity. */
export function rowNorm(t: tf.Tensor, p: number): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = tf.abs(tf.reshape(t, [t.shape[0], -1]));
    if (p === Number.POSITIVE_INFINITY) return tf.max(flat, 1) as tf.Tensor1D;
    if (p === 1) return tf.sum(flat, 1) as tf.Tensor1D;
    if (p === 2) return tf.sqrt(tf.sum(tf.square(flat), 1)) as tf.Tensor1D;
    return tf.pow(tf.sum(tf.pow(flat, p), 1), 1 / p) as tf.Tensor1D;
  });
}
