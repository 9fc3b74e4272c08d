import * as tf from '@tensorflow/tfjs-core';
import { defineAttribution } from '../core/attribution-method';
import { NOISE_DEFAULTS, type NoiseOptions, noisyGradientMoments } from '../noise/noisy-gradients';

/**
 * SmoothGrad² (Hooker et al. 2019, "A Benchmark for Interpretability Methods"):
 * the mean squared gradient over noisy copies, `A = (1/n) Σ_i ∇f_t(x + ε_i)²`
 * (= variance + mean²). Options as SmoothGrad. Shape like `x`, non-negative.
 */
export const smoothGradSquared = defineAttribution<NoiseOptions>(
  {
    name: 'smoothgrad-squared',
    description: 'SmoothGrad²: mean of (∇f_t)² over Gaussian-noised copies (Hooker et al. 2019)',
    defaults: NOISE_DEFAULTS,
    explain(ctx, x, options) {
      const { mean, variance } = noisyGradientMoments(ctx, x, options);
      return tf.add(variance, tf.square(mean));
    },
  },
  { replace: true },
);
