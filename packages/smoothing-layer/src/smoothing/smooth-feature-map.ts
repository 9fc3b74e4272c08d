import type * as tf from '@tensorflow/tfjs-core';
import { resolveSmoothingOptions, type SmoothingOptions } from '../options/smoothing-options';
import { gaussianSmooth } from './gaussian-smooth';

/**
 * Gaussian feature-map smoothing as a plain function (the op inside the
 * {@link GaussianSmoothing} layer): every channel convolved with the same
 * normalised kernel `g(i,j) = exp(-(i²+j²)/(2σ²))/Z`.
 *
 * @param x `[batch, height, width, channels]`
 * @returns `[batch, height, width, channels]`
 * @example
 * const smooth = smoothFeatureMap(featureMap, { sigma: 1, padding: 'reflect' });
 */
export function smoothFeatureMap(x: tf.Tensor4D, options: SmoothingOptions = {}): tf.Tensor4D {
  const { sigma, kernelSize, padding } = resolveSmoothingOptions(options);
  return gaussianSmooth(x, sigma, kernelSize, padding);
}
