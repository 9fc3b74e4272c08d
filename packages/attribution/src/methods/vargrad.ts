import { defineNoisyGradientMethod } from '../noise/define-noisy-gradient-method';

/**
 * VarGrad (Adebayo et al. 2018, "Local Explanation Methods for Deep Neural
 * Networks Lack Sensitivity to Parameter Values"): the variance of the gradient
 * over noisy copies, `A = (1/n) Σ_i (∇f_t(x + ε_i) − ḡ)²`. Options as SmoothGrad.
 */
export const varGrad = defineNoisyGradientMethod(
  {
    name: 'vargrad',
    description: 'VarGrad: variance of ∇f_t over Gaussian-noised copies (Adebayo et al. 2018)',
    fromMoments: ({ variance }) => variance,
  },
  { replace: true },
);
