import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/** How an attribution `[n, h, w, c]` becomes one relevance per pixel. */
export type PixelRelevance = 'abs' | 'positive' | 'signed';

/**
 * Per-pixel relevance `[n, h·w]`: `Σ_c |a|` ('abs'), `Σ_c max(a, 0)` ('positive')
 * or `Σ_c a` ('signed').
 */
export function pixelRelevance(a: tf.Tensor4D, mode: PixelRelevance): tf.Tensor2D {
  if (mode !== 'abs' && mode !== 'positive' && mode !== 'signed') {
    throw new InvalidOptionError(
      `pixelRelevance must be 'abs', 'positive' or 'signed', got ${String(mode)}`,
    );
  }
  return tf.tidy(() => {
    const v = mode === 'abs' ? tf.abs(a) : mode === 'positive' ? tf.relu(a) : a;
    return tf.reshape(tf.sum(v, 3), [a.shape[0], -1]) as tf.Tensor2D;
  });
}

/**
 * Pixel indices of one sample sorted by decreasing relevance; ties keep the
 * row-major order (stable), so a constant map ranks pixels top-left first.
 */
export function rankPixels(relevance: ArrayLike<number>): Int32Array {
  const order = Array.from({ length: relevance.length }, (_, i) => i);
  order.sort((i, j) => relevance[j] - relevance[i] || i - j);
  return Int32Array.from(order);
}
