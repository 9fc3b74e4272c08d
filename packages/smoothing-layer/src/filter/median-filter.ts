import * as tf from '@tensorflow/tfjs-core';
import { assertRank } from '@trustgrad/core-tensor';
import type { SmoothingPadding } from '../options/smoothing-options';
import { padFeatureMap } from '../padding/pad-feature-map';

/**
 * The median filter: every channel of `x` replaced by the median of the
 * `kernelSize × kernelSize` window around each pixel (kornia's `median_blur`,
 * the FMS authors' "Median" ablation; kornia pads with zeros, `'same'`).
 * The gradient flows to the one window element that was selected, as
 * `torch.median`'s does (ties: to one of the tied elements).
 *
 * How: the `k²` shifted copies of the padded map are stacked on a new last
 * axis and `topk` picks the `(k²+1)/2`-th largest; its index routes the
 * gradient back (`topk` has no gradient of its own in tfjs).
 *
 * @param x `[batch, height, width, channels]`
 * @param kernelSize odd window side `k = 2r+1`
 * @param padding border handling
 * @returns `[batch, height, width, channels]`
 */
export function medianFilter(
  x: tf.Tensor4D,
  kernelSize: number,
  padding: SmoothingPadding,
): tf.Tensor4D {
  assertRank(x, 4, 'feature map [batch, height, width, channels]');
  if (kernelSize === 1) return x.clone();
  const [batch, height, width, channels] = x.shape;
  const r = (kernelSize - 1) / 2;
  return tf.tidy(() => {
    const padded = padFeatureMap(x, r, padding);
    const windows: tf.Tensor4D[] = [];
    for (let i = 0; i < kernelSize; i++) {
      for (let j = 0; j < kernelSize; j++) {
        windows.push(tf.slice(padded, [0, i, j, 0], [batch, height, width, channels]));
      }
    }
    return selectMedian(tf.stack(windows, 4)) as tf.Tensor4D;
  });
}

/** `[..., n] → [...]`: the median of the last axis (n odd), gradient to the selected element. */
const selectMedian = tf.customGrad((stacked, save) => {
  const s = stacked as tf.Tensor;
  const n = s.shape[s.rank - 1];
  const rank = (n - 1) / 2;
  const { values, indices } = tf.topk(s, rank + 1);
  const begin = [...s.shape.slice(0, -1).map(() => 0), rank];
  const size = [...s.shape.slice(0, -1), 1];
  const value = tf.squeeze(tf.slice(values, begin, size), [s.rank - 1]);
  const index = tf.squeeze(tf.slice(indices, begin, size), [s.rank - 1]);
  (save as tf.GradSaveFunc)([index]);
  return {
    value,
    gradFunc: (dy, saved) => {
      const [selected] = saved as tf.Tensor[];
      // int32 one-hot, then cast: tfjs-backend-wasm 4.22's OneHot ignores dtype 'float32' and writes int bits
      const route = tf.cast(tf.oneHot(selected, n), 'float32');
      return tf.mul(route, tf.expandDims(dy as tf.Tensor, -1));
    },
  };
});
