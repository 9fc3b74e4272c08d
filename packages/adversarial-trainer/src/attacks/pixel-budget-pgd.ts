import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';
import { defineAttack } from './attack';
import { linfIteration } from './pgd-linf';

/** Extra options of {@link pixelBudgetPgd}. */
export interface PixelBudgetPgdOptions {
  /**
   * Per-pixel share of the budget, broadcastable to x (`[batch,h,w,1]` or
   * `[batch,h,w,c]`), values in [0, 1]: pixel j may move by `ε_i · budget_j`.
   * Required.
   */
  budget: tf.Tensor | undefined;
}

/**
 * PGD-L∞ in a per-pixel box `|δ_j| ≤ ε_i · b_j` (`b` = `budget`), otherwise
 * {@link linfIteration}: start `x + U(−1, 1) ⊙ ε·b`, steps `α · mask ⊙ stepWeights ⊙
 * sign ∇ₓL`, projection onto the box. SCAAT uses `b = stepWeights = 1 − S`
 * (saliency `S`): pixels the model relies on keep their value, the noise
 * pixels get the budget. Defaults: 10 steps, step size 2.5·ε/steps, random start.
 */
export const pixelBudgetPgd = defineAttack<PixelBudgetPgdOptions>(
  {
    name: 'pixel-budget-pgd',
    description: 'PGD-L∞ in a per-pixel box |δ_j| ≤ ε·budget_j (SCAAT: budget 1 − saliency)',
    defaults: { steps: 10, randomStart: true, budget: undefined },
    perturb(ctx) {
      const budget = ctx.options.budget;
      if (!(budget instanceof tf.Tensor)) {
        throw new InvalidOptionError(
          'pixel-budget-pgd: opts.budget is required, a tensor of per-pixel budget shares in [0, 1] broadcastable to x; use pgd-linf for a uniform budget',
        );
      }
      const x = ctx.x;
      const ok = budget.rank === 4 && budget.shape.every((d, i) => d === 1 || d === x.shape[i]);
      if (!ok) {
        throw new ShapeError(
          `pixel-budget-pgd: budget has shape [${budget.shape.join(', ')}], expected a rank-4 tensor broadcastable to x [${x.shape.join(', ')}]`,
        );
      }
      return linfIteration({ ...ctx, eps: tf.mul(ctx.eps, budget) as tf.Tensor4D });
    },
  },
  { replace: true },
);
