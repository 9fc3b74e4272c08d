import { defineNoisyGradientMethod } from '../noise/define-noisy-gradient-method';

/**
 * SmoothGrad (Smilkov et al. 2017): the gradient averaged over noisy copies,
 * `A = (1/n) Σ_i ∇f_t(x + ε_i)`, `ε_i ~ N(0, σ²)`, `σ = noiseLevel · (max x − min x)`.
 * Defaults n = 50, noiseLevel = 0.15 (the paper's 10–20 %), seed 0. Shape like `x`.
 * With noiseLevel → 0 it is the Vanilla Gradient.
 */
export const smoothGrad = defineNoisyGradientMethod(
  {
    name: 'smoothgrad',
    description: 'SmoothGrad: mean of ∇f_t over Gaussian-noised copies (Smilkov et al. 2017)',
    fromMoments: ({ mean }) => mean,
  },
  { replace: true },
);
