import { defineAttribution } from '../core/attribution-method';
import { NOISE_DEFAULTS, type NoiseOptions, noisyGradientMoments } from '../noise/noisy-gradients';

/**
 * SmoothGrad (Smilkov et al. 2017): the gradient averaged over noisy copies,
 * `A = (1/n) Σ_i ∇f_t(x + ε_i)`, `ε_i ~ N(0, σ²)`, `σ = noiseLevel · (max x − min x)`.
 * Defaults n = 50, noiseLevel = 0.15 (the paper's 10–20 %), seed 0. Shape like `x`.
 * With noiseLevel → 0 it is the Vanilla Gradient.
 */
export const smoothGrad = defineAttribution<NoiseOptions>(
  {
    name: 'smoothgrad',
    description: 'SmoothGrad: mean of ∇f_t over Gaussian-noised copies (Smilkov et al. 2017)',
    defaults: NOISE_DEFAULTS,
    explain(ctx, x, options) {
      const { mean, variance } = noisyGradientMoments(ctx, x, options);
      variance.dispose();
      return mean;
    },
  },
  { replace: true },
);
