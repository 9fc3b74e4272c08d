import { defineAttribution } from '../core/attribution-method';

/**
 * Vanilla Gradient (Simonyan, Vedaldi, Zisserman 2014, "Deep Inside
 * Convolutional Networks"): the input gradient of the explained quantity,
 * `A = ∂f_t/∂x`, shape `[b, ...]` like `x`. No options of its own.
 */
export const vanillaGradient = defineAttribution(
  {
    name: 'vg',
    description: 'Vanilla Gradient ∂f_t/∂x (Simonyan et al. 2014)',
    defaults: {},
    explain: (ctx, x) => ctx.gradient(x),
  },
  { replace: true },
);
