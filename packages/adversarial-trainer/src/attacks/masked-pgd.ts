import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineAttack } from './attack';
import { linfIteration } from './pgd-linf';

/**
 * PGD-L∞ that perturbs only where `mask` is 1, with optional per-pixel step
 * weights: `x^{k+1} = clip(x + Π_ε(x^k + α · mask ⊙ stepWeights ⊙ sign(∇ₓL) − x))`,
 * random start `mask ⊙ U(−ε, ε)`. Used by explanation consistency (attack the
 * background only) and SCAAT (step weighted by `1 − saliency`).
 * Requires `opts.mask` (`[batch,h,w,1]` or `[batch,h,w,c]`, values in {0, 1}).
 */
export const maskedPgd = defineAttack(
  {
    name: 'masked-pgd',
    description: 'PGD-L∞ restricted to a pixel mask, with per-pixel step weights',
    defaults: { steps: 10, randomStart: true },
    perturb(ctx) {
      if (!ctx.mask) {
        throw new InvalidOptionError(
          'masked-pgd: opts.mask is required (1 where pixels may change, 0 elsewhere, broadcastable to x); use pgd-linf to perturb every pixel',
        );
      }
      return linfIteration(ctx);
    },
  },
  { replace: true },
);
