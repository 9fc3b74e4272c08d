import * as tf from '@tensorflow/tfjs-core';
import { assertRank } from '@trustgrad/core-tensor';
import { gaussianKernel2d } from '../kernel/gaussian-kernel';
import type { SmoothingPadding } from '../options/smoothing-options';
import { padFeatureMap } from '../padding/pad-feature-map';

/**
 * Convolves every channel of `x` with the same normalised 2-D Gaussian:
 * `y[b,h,w,c] = Σ_{i,j∈[-r,r]} g(i,j) · pad(x)[b,h+i,w+j,c]`.
 * Depthwise, stride 1, output shape = input shape. Differentiable in `x`, and
 * in `sigma` when it is a tensor (e.g. `exp` of a trainable log σ).
 *
 * @param x `[batch, height, width, channels]`
 * @param sigma standard deviation in pixels (number, or scalar tensor to differentiate)
 * @param kernelSize odd number of taps per axis (`2r+1`)
 * @param padding border handling, see {@link padFeatureMap}
 * @returns `[batch, height, width, channels]`
 */
export function gaussianSmooth(
  x: tf.Tensor4D,
  sigma: number | tf.Scalar,
  kernelSize: number,
  padding: SmoothingPadding,
): tf.Tensor4D {
  assertRank(x, 4, 'feature map [batch, height, width, channels]');
  if (kernelSize === 1) return x.clone();
  return tf.tidy(() => {
    const channels = x.shape[3];
    const kernel = gaussianKernel2d(sigma, kernelSize);
    const depthwiseFilter = tf.tile(tf.reshape(kernel, [kernelSize, kernelSize, 1, 1]), [1, 1, channels, 1]);
    const padded = padFeatureMap(x, (kernelSize - 1) / 2, padding);
    return tf.depthwiseConv2d(padded, depthwiseFilter as tf.Tensor4D, 1, 'valid');
  });
}
