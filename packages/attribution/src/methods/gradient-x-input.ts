import * as tf from '@tensorflow/tfjs-core';
import { defineAttribution } from '../core/attribution-method';

/**
 * Gradient × Input (Shrikumar et al. 2016): `A = x ⊙ ∂f_t/∂x`, shape like `x`.
 * For a linear model `f(x) = ⟨w, x⟩ + c` it is `x ⊙ w`. No options of its own.
 */
export const gradientTimesInput = defineAttribution(
  {
    name: 'gradient-x-input',
    description: 'Gradient × Input x ⊙ ∂f_t/∂x (Shrikumar et al. 2016)',
    defaults: {},
    explain: (ctx, x) => tf.mul(x, ctx.gradient(x)),
  },
  { replace: true },
);
