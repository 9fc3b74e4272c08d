import * as tf from '@tensorflow/tfjs-core';
import { defineNoisyGradientMethod } from '../noise/define-noisy-gradient-method';

/**
 * SmoothGrad² (Hooker et al. 2019, "A Benchmark for Interpretability Methods"):
 * the mean squared gradient over noisy copies, `A = (1/n) Σ_i ∇f_t(x + ε_i)²`
 * (= variance + mean²). Options as SmoothGrad. Shape like `x`, non-negative.
 */
export const smoothGradSquared = defineNoisyGradientMethod(
  {
    name: 'smoothgrad-squared',
    description: 'SmoothGrad²: mean of (∇f_t)² over Gaussian-noised copies (Hooker et al. 2019)',
    fromMoments: ({ mean, variance }) => tf.add(variance, tf.square(mean)),
  },
  { replace: true },
);
