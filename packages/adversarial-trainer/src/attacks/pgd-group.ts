import * as tf from '@tensorflow/tfjs-core';
import { defineAttack } from './attack';
import { assertPatchSize, normaliseGroups, projectGroup } from './group-norm';
import { iterateAttack } from './iterate-attack';
import { pixelWeights, weighted } from './pixel-weights';

/** Extra options of {@link pgdGroup}. */
export interface PgdGroupOptions {
  /** Side `k` of the non-overlapping `k×k` patches (all channels) that form the groups. Default 4. */
  patch: number;
}

/**
 * PGD in the group-norm ball `‖δ‖_{G,2,∞} = max_g ‖δ_g‖₂ ≤ ε`, groups the
 * non-overlapping `k×k` patches with all channels (NRAT, Gong, Dou, Farnia,
 * CVPR 2024). The ball is a product of per-group L2 balls, so the steepest
 * ascent step and the projection act group by group:
 * `δ ← Π_g( δ + α · g_g / ‖g_g‖₂ )`, `Π_g(δ_g) = δ_g · min(1, ε/‖δ_g‖₂)`,
 * `g = w ⊙ ∇ₓL(x + δ)`, `w = mask ⊙ stepWeights`, then `x + δ` clipped to the range.
 * Its dual norm is the group-L1 `Σ_g ‖∇_g‖₂`: for a linear loss the worst case
 * gain is `ε · Σ_g ‖∇_g‖₂`. Random start: per group, a direction `n_g/‖n_g‖₂`
 * (`n ~ N(0, I)`, masked) at radius `ε · u_g^{1/d_g}`, uniform in each group ball.
 * Defaults: 10 steps, step size 2.5·ε/steps, random start on, patch 4.
 */
export const pgdGroup = defineAttack<PgdGroupOptions>(
  {
    name: 'pgd-group',
    description: 'PGD in the group norm max_g ‖δ_g‖₂ ≤ ε over k×k patches (NRAT, Gong et al. 2024)',
    defaults: { steps: 10, randomStart: true, patch: 4 },
    perturb(ctx) {
      const { x, eps, stepSize } = ctx;
      const patch = ctx.options.patch;
      assertPatchSize(patch, 'pgd-group');
      const w = pixelWeights(ctx);
      return iterateAttack(
        ctx,
        () => {
          const [batch, h, wd, c] = x.shape;
          const direction = normaliseGroups(
            weighted(ctx.rng.normalTensor(x.shape), ctx.mask),
            patch,
          );
          const groupDim = patch * patch * c;
          const hb = Math.ceil(h / patch);
          const wb = Math.ceil(wd / patch);
          const radii = Array.from(
            { length: batch * hb * wb },
            () => ctx.rng.uniform() ** (1 / groupDim),
          );
          const perGroup = tf.tensor4d(radii, [batch, hb, wb, 1]);
          const perPixel = tf.slice(
            tf.image.resizeNearestNeighbor(perGroup, [hb * patch, wb * patch]),
            [0, 0, 0, 0],
            [batch, h, wd, 1],
          );
          return ctx.clip(tf.add(x, tf.mul(direction, tf.mul(perPixel, eps))));
        },
        (xAdv) => {
          const g = weighted(ctx.ascentGradient(xAdv), w);
          const stepped = tf.add(tf.sub(xAdv, x), tf.mul(stepSize, normaliseGroups(g, patch)));
          return ctx.clip(tf.add(x, projectGroup(stepped, eps, patch)));
        },
      );
    },
  },
  { replace: true },
);
