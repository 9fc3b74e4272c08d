import * as tf from '@tensorflow/tfjs-core';
import {
  assertRank,
  bandedSeparableFilter,
  hasFastBandedSeparableFilter,
} from '@trustgrad/core-tensor';
import { gaussianKernel2d, gaussianTaps } from '../kernel/gaussian-kernel';
import { threeTapFactors } from '../kernel/three-tap-factors';
import type { SmoothingPadding } from '../options/smoothing-options';
import { assertReflectFits, padFeatureMap } from '../padding/pad-feature-map';
import { smoothingAxisOperator } from './smoothing-axis-operator';
import { cachedStageFilters } from './stage-filter-cache';
import { symmetricDepthwiseWithAdjoint } from './symmetric-depthwise-adjoint';

/**
 * Convolves every channel of `x` with the same normalised 2-D Gaussian:
 * `y[b,h,w,c] = Σ_{i,j∈[-r,r]} g(i,j) · pad(x)[b,h+i,w+j,c]`.
 * Depthwise, stride 1, output shape = input shape. Differentiable in `x`, and
 * in `sigma` when it is a tensor (e.g. `exp` of a trainable log σ).
 *
 * How it runs (same result every way, to float32 rounding): with a fixed σ
 * on a backend with core-tensor's fused `bandedSeparableFilter` kernel (wasm),
 * as one pass per axis with the border rule folded into the taps (see
 * {@link smoothingAxisOperator}); elsewhere, with a fixed σ,
 * the separable kernel is applied as 3-tap passes along each axis (see
 * {@link threeTapFactors}); with a σ tensor as one dense `k×k` depthwise
 * convolution. Reflect and zero padding use a hand-written backward pass (see
 * {@link symmetricDepthwiseWithAdjoint}); replicate padding, and reflect
 * padding by `r = n−1`, pad by slicing and differentiate automatically.
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
  const [, height, width, channels] = x.shape;
  const r = (kernelSize - 1) / 2;
  if (typeof sigma === 'number')
    return separableSmooth(x, gaussianTaps(sigma, kernelSize), padding);
  return tf.tidy(() => {
    const dense = depthwiseFilter(
      gaussianKernel2d(sigma, kernelSize),
      kernelSize,
      kernelSize,
      channels,
    );
    const fastPath =
      padding === 'same' || (padding === 'reflect' && r <= height - 2 && r <= width - 2);
    if (!fastPath) return tf.depthwiseConv2d(padFeatureMap(x, r, padding), dense, 1, 'valid');
    return symmetricDepthwiseWithAdjoint(x, [dense], r, padding, true);
  });
}

/**
 * Convolves every channel of `x` with the separable kernel `taps ⊗ taps`
 * (fixed float64 taps, symmetric, `2r+1` of them), the border extended by
 * `padding`: `y[b,h,w,c] = Σ_{i,j∈[-r,r]} taps[i]·taps[j]·pad(x)[b,h+i,w+j,c]`.
 * The fixed-σ Gaussian and the box (mean) filter are both this. Runs as the
 * fused `bandedSeparableFilter` kernel where the backend has it (wasm), else
 * as 3-tap depthwise passes (see {@link threeTapFactors}) with a hand-written
 * backward (see {@link symmetricDepthwiseWithAdjoint}); replicate padding,
 * and reflect by `r = n−1`, pad by slicing and differentiate automatically.
 *
 * @param x `[batch, height, width, channels]`
 * @param taps the 1-D kernel, odd length, symmetric (`taps[i] = taps[2r−i]`)
 * @returns `[batch, height, width, channels]`
 */
export function separableSmooth(
  x: tf.Tensor4D,
  taps: readonly number[],
  padding: SmoothingPadding,
): tf.Tensor4D {
  assertRank(x, 4, 'feature map [batch, height, width, channels]');
  if (taps.length === 1) return tf.mul(x, taps[0]) as tf.Tensor4D;
  const [, height, width, channels] = x.shape;
  const r = (taps.length - 1) / 2;
  if (hasFastBandedSeparableFilter()) {
    if (padding === 'reflect') assertReflectFits(r, height, width);
    return bandedSeparableFilter(
      x,
      smoothingAxisOperator([...taps], height, padding),
      smoothingAxisOperator([...taps], width, padding),
    );
  }
  return tf.tidy(() => {
    const dense = () => {
      const t = tf.tensor1d([...taps]);
      return [depthwiseFilter(tf.outerProduct(t, t), taps.length, taps.length, channels)];
    };
    const fastPath =
      padding === 'same' || (padding === 'reflect' && r <= height - 2 && r <= width - 2);
    if (!fastPath) return tf.depthwiseConv2d(padFeatureMap(x, r, padding), dense()[0], 1, 'valid');
    const stages = cachedStageFilters(`${taps.join(',')}|${channels}`, () => {
      const factors = threeTapFactors(taps);
      return factors
        ? [
            ...factors.map((f) => depthwiseFilter(tf.tensor1d(f), 3, 1, channels)),
            ...factors.map((f) => depthwiseFilter(tf.tensor1d(f), 1, 3, channels)),
          ]
        : dense();
    });
    return symmetricDepthwiseWithAdjoint(x, stages, r, padding, false);
  });
}

/** A `[kh, kw]` kernel as the depthwise filter `[kh, kw, channels, 1]` (the same kernel for every channel). */
function depthwiseFilter(kernel: tf.Tensor, kh: number, kw: number, channels: number): tf.Tensor4D {
  return tf.tile(tf.reshape(kernel, [kh, kw, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
}
