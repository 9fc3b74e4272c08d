import type * as tf from '@tensorflow/tfjs-core';
import { crossEntropy } from '../losses/cross-entropy';
import { defineObjective } from './objective';

/**
 * Madry adversarial training (Madry et al. 2018): `L = (1/n) Σ_i CE(f(x'_i), y_i)`,
 * `x' = attack(x)` built without gradient to the weights (PGD-L∞ by default).
 * On a model holding the smoothing block this is the FMS paper's AT + FMS.
 */
export const pgdAt = defineObjective<object, { xAdv: tf.Tensor4D }>(
  {
    name: 'pgd-at',
    description: 'cross-entropy on adversarial inputs (Madry et al. 2018)',
    defaults: {},
    prepare(ctx) {
      return { xAdv: ctx.attack.run(ctx.model, ctx.x, ctx.y, ctx.attackOptions) };
    },
    loss(ctx, { xAdv }) {
      const logits = ctx.logits(xAdv);
      return { loss: crossEntropy(logits, ctx.y), logits };
    },
  },
  { replace: true },
);
