import * as tf from '@tensorflow/tfjs-core';
import { assertSameShape, InvalidOptionError } from '@trustgrad/core-tensor';

/** How two explanation maps are compared. */
export type MapSimilarity = 'cosine' | 'pearson' | 'ssim';

/** The similarities {@link mapSimilarity} knows. */
export const MAP_SIMILARITIES: readonly MapSimilarity[] = ['cosine', 'pearson', 'ssim'];

/** SSIM window side and constants for maps scaled to [0, 1] (Wang et al. 2004: K1 0.01, K2 0.03, L 1). */
const SSIM_WINDOW = 7;
const C1 = 0.01 ** 2;
const C2 = 0.03 ** 2;
const TINY = 1e-12;

/**
 * The one map similarity of trustgrad (the explanation-consistency metric and
 * training objective both use it). Similarity per sample of two explanation batches `a`, `b` (`[batch, h, w, c]`),
 * `[batch]`:
 * - `'cosine'`: `⟨â, b̂⟩ / (‖â‖‖b̂‖)` of the flattened maps, each first scaled by
 *   its max-abs (cosine ignores scale, so this is the cosine of the raw maps);
 *   two all-zero maps give 1, one all-zero map against a non-zero one 0.
 * - `'pearson'`: the cosine of the mean-centred flattened maps (two constant maps: 1).
 * - `'ssim'`: mean SSIM over 7×7 uniform windows (valid positions) of the maps
 *   min-max scaled to [0, 1] per sample, channels averaged (Wang et al. 2004).
 */
export function mapSimilarity(
  a: tf.Tensor4D,
  b: tf.Tensor4D,
  kind: MapSimilarity = 'cosine',
): tf.Tensor1D {
  assertSameShape(a, b, 'explanation maps a and b');
  return tf.tidy(() => {
    const n = a.shape[0];
    switch (kind) {
      case 'cosine':
        return cosine(tf.reshape(a, [n, -1]), tf.reshape(b, [n, -1]));
      case 'pearson': {
        const fa = tf.reshape(a, [n, -1]);
        const fb = tf.reshape(b, [n, -1]);
        return cosine(tf.sub(fa, tf.mean(fa, 1, true)), tf.sub(fb, tf.mean(fb, 1, true)));
      }
      case 'ssim':
        return ssim(minMax(a), minMax(b));
      default:
        throw new InvalidOptionError(
          `similarity "${String(kind)}" is unknown; use one of ${MAP_SIMILARITIES.join(', ')}`,
        );
    }
  });
}

function cosine(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  const dot = tf.sum(tf.mul(a, b), 1);
  const normA = tf.norm(a, 2, 1);
  const normB = tf.norm(b, 2, 1);
  const norms = tf.mul(normA, normB);
  // Two all-zero maps agree (1); one all-zero map against a non-zero one does not (0).
  const bothZero = tf.logicalAnd(tf.lessEqual(normA, TINY), tf.lessEqual(normB, TINY));
  const value = tf.where(
    tf.greater(norms, TINY),
    tf.div(dot, tf.maximum(norms, TINY)),
    tf.zerosLike(dot),
  );
  return tf.where(bothZero, tf.onesLike(dot), value) as tf.Tensor1D;
}

function minMax(t: tf.Tensor4D): tf.Tensor4D {
  const n = t.shape[0];
  const flat = tf.reshape(t, [n, -1]);
  const lo = tf.min(flat, 1, true);
  const span = tf.sub(tf.max(flat, 1, true), lo);
  const scaled = tf.where(
    tf.greater(span, 0),
    tf.div(tf.sub(flat, lo), tf.maximum(span, TINY)),
    tf.zerosLike(flat),
  );
  return tf.reshape(scaled, t.shape) as tf.Tensor4D;
}

function ssim(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor1D {
  const [n, h, w, c] = a.shape;
  const size = Math.min(SSIM_WINDOW, h, w);
  // Channels become samples so every window pools one channel.
  const toPlanes = (t: tf.Tensor4D) =>
    tf.reshape(tf.transpose(t, [0, 3, 1, 2]), [n * c, h, w, 1]) as tf.Tensor4D;
  const pa = toPlanes(a);
  const pb = toPlanes(b);
  const pool = (t: tf.Tensor4D) => tf.avgPool(t, size, 1, 'valid');
  const muA = pool(pa);
  const muB = pool(pb);
  const varA = tf.sub(pool(tf.square(pa)), tf.square(muA));
  const varB = tf.sub(pool(tf.square(pb)), tf.square(muB));
  const cov = tf.sub(pool(tf.mul(pa, pb)), tf.mul(muA, muB));
  const num = tf.mul(tf.add(tf.mul(2, tf.mul(muA, muB)), C1), tf.add(tf.mul(2, cov), C2));
  const den = tf.mul(
    tf.add(tf.add(tf.square(muA), tf.square(muB)), C1),
    tf.add(tf.add(varA, varB), C2),
  );
  const perPlane = tf.mean(tf.div(num, den), [1, 2, 3]);
  return tf.mean(tf.reshape(perPlane, [n, c]), 1) as tf.Tensor1D;
}
