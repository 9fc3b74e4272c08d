import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/** How {@link normalize} scales each sample's map. */
export type Normalization = 'max-abs' | 'min-max' | 'sum-abs';

/**
 * Scales every sample of `[b, ...]` on its own:
 * - `'max-abs'` `a / max|a|` → [−1, 1], sign kept (default),
 * - `'min-max'` `(a − min a)/(max a − min a)` → [0, 1],
 * - `'sum-abs'` `a / Σ|a|` (the map's absolute values sum to 1).
 * An all-zero (or constant, for min-max) map stays 0 instead of dividing by 0.
 */
export function normalize(attributions: tf.Tensor, mode: Normalization = 'max-abs'): tf.Tensor {
  return tf.tidy(() => {
    const b = attributions.shape[0];
    const flat = tf.reshape(attributions, [b, -1]);
    const safeDiv = (num: tf.Tensor, den: tf.Tensor) =>
      tf.where(tf.greater(den, 0), tf.div(num, tf.maximum(den, 1e-30)), tf.zerosLike(num));
    let out: tf.Tensor;
    switch (mode) {
      case 'max-abs':
        out = safeDiv(flat, tf.max(tf.abs(flat), 1, true));
        break;
      case 'min-max': {
        const lo = tf.min(flat, 1, true);
        out = safeDiv(tf.sub(flat, lo), tf.sub(tf.max(flat, 1, true), lo));
        break;
      }
      case 'sum-abs':
        out = safeDiv(flat, tf.sum(tf.abs(flat), 1, true));
        break;
      default:
        throw new InvalidOptionError(
          `normalization "${String(mode)}" is unknown; use max-abs, min-max or sum-abs`,
        );
    }
    return tf.reshape(out, attributions.shape);
  });
}
