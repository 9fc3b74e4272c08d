import { defineAttribution } from '../core/attribution-method';
import { NOISE_DEFAULTS, type NoiseOptions, noisyGradientMoments } from '../noise/noisy-gradients';

/**
 * VarGrad (Adebayo et al. 2018, "Local Explanation Methods for Deep Neural
 * Networks Lack Sensitivity to Parameter Values"): the variance of the gradient
 * over noisy copies, `A = (1/n) Σ_i (∇f_t(x + ε_i) − ḡ)²`. Options as SmoothGrad.
 */
export const varGrad = defineAttribution<NoiseOptions>(
  {
    name: 'vargrad',
    description: 'VarGrad: variance of ∇f_t over Gaussian-noised copies (Adebayo et al. 2018)',
    defaults: NOISE_DEFAULTS,
    explain(ctx, x, options) {
      const { mean, variance } = noisyGradientMoments(ctx, x, options);
      mean.dispose();
      return variance;
    },
  },
  { replace: true },
);
