import type * as tf from '@tensorflow/tfjs-core';
import type { SmoothingPadding } from '../options/smoothing-options';
import { separableSmooth } from '../smoothing/gaussian-smooth';

/**
 * The mean (box) filter: every channel of `x` averaged over the
 * `kernelSize × kernelSize` window around each pixel,
 * `y[b,h,w,c] = (1/k²) Σ_{i,j∈[-r,r]} pad(x)[b,h+i,w+j,c]` (kornia's
 * `box_blur` with `normalized=True`, the FMS authors' "Mean" ablation).
 * Separable (`[1/k, …, 1/k]` per axis), so it runs on the same path as the
 * fixed-σ Gaussian.
 *
 * @param x `[batch, height, width, channels]`
 * @param kernelSize odd window side `k = 2r+1`
 * @param padding border handling (kornia's default is `'reflect'`)
 * @returns `[batch, height, width, channels]`
 */
export function boxFilter(
  x: tf.Tensor4D,
  kernelSize: number,
  padding: SmoothingPadding,
): tf.Tensor4D {
  return separableSmooth(x, new Array<number>(kernelSize).fill(1 / kernelSize), padding);
}
