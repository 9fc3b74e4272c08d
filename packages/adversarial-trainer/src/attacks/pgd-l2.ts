import * as tf from '@tensorflow/tfjs-core';
import { defineAttack } from './attack';
import { iterateAttack } from './iterate-attack';
import { normaliseL2, projectL2 } from './norm-ball';
import { pixelWeights, weighted } from './pixel-weights';

/**
 * Projected gradient descent in the L2 ball (Madry et al. 2018):
 * `x^{k+1} = clip_range( x + Π_{‖δ‖₂≤ε}( x^k + α · g/‖g‖₂ − x ) )`, `g = w ⊙ ∇ₓL(x^k)`,
 * `w = mask ⊙ stepWeights`. The random start is uniform in the ball:
 * direction `n/‖n‖₂` with `n ~ N(0, I)` (masked), radius `ε · u^{1/d}`, `u ~ U(0,1)`.
 * Defaults: 10 steps, step size 2.5·ε/steps, random start on.
 */
export const pgdL2 = defineAttack(
  {
    name: 'pgd-l2',
    description: 'PGD in the L2 ball with random start (Madry et al. 2018)',
    defaults: { steps: 10, randomStart: true },
    perturb(ctx) {
      const { x, eps, stepSize } = ctx;
      const w = pixelWeights(ctx);
      return iterateAttack(
        ctx,
        () => {
          const [batch, h, wd, c] = x.shape;
          const d = h * wd * c;
          const direction = normaliseL2(weighted(ctx.rng.normalTensor(x.shape), ctx.mask));
          const radii = Array.from({ length: batch }, () => ctx.rng.uniform() ** (1 / d));
          const radius = tf.mul(tf.tensor4d(radii, [batch, 1, 1, 1]), eps);
          return ctx.clip(tf.add(x, tf.mul(direction, radius)));
        },
        (xAdv) => {
          const g = weighted(ctx.ascentGradient(xAdv), w);
          const stepped = tf.add(xAdv, tf.mul(stepSize, normaliseL2(g)));
          return ctx.clip(tf.add(x, projectL2(tf.sub(stepped, x), eps)));
        },
      );
    },
  },
  { replace: true },
);
