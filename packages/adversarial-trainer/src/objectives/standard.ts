import { crossEntropy } from '../losses/cross-entropy';
import { defineObjective } from './objective';

/** Standard training (ST): `L = (1/n) Σ_i CE(f(x_i), y_i)`. */
export const standard = defineObjective(
  {
    name: 'standard',
    description: 'cross-entropy on clean inputs',
    defaults: {},
    loss(ctx) {
      const logits = ctx.logits(ctx.x);
      return { loss: crossEntropy(logits, ctx.y), logits };
    },
  },
  { replace: true },
);
