import * as tf from '@tensorflow/tfjs-core';
import { pgdLinfStep } from '@trustgrad/core-tensor';
import { type AttackContext, defineAttack } from './attack';
import { iterateAttack } from './iterate-attack';
import { projectLinf } from './norm-ball';
import { pixelWeights, weighted } from './pixel-weights';

/**
 * The L∞ projected-gradient iteration shared by PGD-L∞, FGSM and masked PGD:
 * `x⁰ = x + U(−ε, ε)^d` (random start) or `x`, then
 * `x^{k+1} = clip_range( x + Π_{‖δ‖∞≤ε}( x^k + α · w ⊙ sign(∇ₓ L(x^k)) − x ) )`,
 * `w = mask ⊙ stepWeights` (1 when absent; the start is multiplied by `mask`).
 */
export function linfIteration(ctx: AttackContext<unknown>): tf.Tensor4D {
  const { x, eps, stepSize } = ctx;
  const w = pixelWeights(ctx);
  return iterateAttack(
    ctx,
    () => {
      const noise = tf.mul(ctx.rng.uniformTensor(x.shape, -1, 1), eps);
      return ctx.clip(tf.add(x, ctx.mask ? tf.mul(noise, ctx.mask) : noise));
    },
    (xAdv) => {
      if (!w) {
        // No mask or step weights: core-tensor's fused kernel, one pass instead
        // of eight kernel calls and bit-equal to the composition below.
        return pgdLinfStep(xAdv, ctx.ascentGradient(xAdv), x, {
          stepSize,
          epsilon: eps,
          // Under `clip: false` the step must not clip either (ctx.clip is then the identity).
          range: ctx.clips ? ctx.range : null,
        }) as tf.Tensor4D;
      }
      const step = weighted(tf.mul(stepSize, tf.sign(ctx.ascentGradient(xAdv))), w);
      const delta = projectLinf(tf.sub(tf.add(xAdv, step), x), eps);
      return ctx.clip(tf.add(x, delta));
    },
  );
}

/**
 * Projected gradient descent in the L∞ ball (Madry et al. 2018, *Towards Deep
 * Learning Models Resistant to Adversarial Attacks*), with a uniform random
 * start. Defaults: 10 steps, step size 2.5·ε/steps, random start on.
 */
export const pgdLinf = defineAttack(
  {
    name: 'pgd-linf',
    description: 'PGD in the L∞ ball with random start (Madry et al. 2018)',
    defaults: { steps: 10, randomStart: true },
    perturb: linfIteration,
  },
  { replace: true },
);
