import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteInputError } from '../errors/trustgrad-error';

/**
 * Fails with {@link NonFiniteInputError} when `x` holds a NaN or ±Infinity.
 * Costs one reduction and one device sync (`tf.any(¬isFinite(x))`), so call it
 * once per call on the input, not inside a hot loop. Integer tensors are
 * always finite and are not read.
 *
 * @example assertFinite(x, 'explain(): x'); // NonFiniteInputError: explain(): x holds 3 NaN/±Infinity values ...
 */
export function assertFinite(x: tf.Tensor, name = 'tensor'): void {
  if (x.dtype !== 'float32' || x.size === 0) return;
  const bad = tf.tidy(() => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(x)), 'int32')));
  const count = bad.dataSync()[0];
  bad.dispose();
  if (count > 0) {
    throw new NonFiniteInputError(
      `${name} holds ${count} NaN/±Infinity value${count > 1 ? 's' : ''} (shape [${x.shape.join(', ')}]); ` +
        'every value must be finite: check the data loading and normalisation (e.g. a division by a zero std)',
    );
  }
}
