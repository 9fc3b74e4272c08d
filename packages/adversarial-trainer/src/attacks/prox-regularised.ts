import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { resolveRegulariser } from '../regularisers/registry';
import { REGULARISER_DEFAULTS, type Regulariser } from '../regularisers/regulariser';
import { defineAttack } from './attack';
import { projectLinf } from './norm-ball';
import { pixelWeights, weighted } from './pixel-weights';

/** Extra options of {@link proxRegularised}. */
export interface ProxRegularisedOptions {
  /** The penalty `R`: a registered name (`l1`, `l2`, `group`, `elastic-net`, `elastic-net-conjugate`) or a plugin. Default `'l2'`. */
  regulariser: string | Regulariser;
  /** Weight `λ > 0` of the penalty. Default 1. */
  lambda: number;
  /** Patch side of group regularisers. Default 4. */
  patch: number;
  /** Elastic net L1 share α ∈ [0, 1). Default 0.5. */
  l1Ratio: number;
  /** Free zone τ of `elastic-net-conjugate`. Default 0.01. */
  deadZone: number;
}

/**
 * Norm-regularised attack `max_δ L(x+δ) − λ·R(δ)` (NRAT, Gong, Dou, Farnia,
 * CVPR 2024) solved by proximal gradient ascent:
 * `δ ← clip_{[−ε, ε]}( prox_{ηλR}( δ + η · w ⊙ ∇ₓL(x+δ) ) )`, then `x + δ`
 * clipped to the data range; `w = mask ⊙ stepWeights`.
 *
 * - `stepSize` is the proximal step η in input units per unit of per-sample
 *   loss gradient (not a fraction of ε); default 1.
 * - `eps` bounds `|δ_j| ≤ ε` (an L∞ box) so that penalties that are not
 *   strongly convex (L1, group) still give a finite attack; set it large to
 *   leave only the penalty. For separable `R` (l1, l2, elastic nets) the box
 *   clip after the prox is the exact prox of `λR + box`; for `group` it is
 *   the usual projection after the group shrink.
 * - Start: `δ = 0` (`randomStart` off by default; on, `U(−ε, ε)`).
 *
 * For a linear loss `L(x+δ) = L(x) + ⟨g, δ⟩` the optimum value is the conjugate
 * `(λR + box)*(g)`, e.g. `‖g‖₂²/(2λ)` for `l2` (see each regulariser).
 */
export const proxRegularised = defineAttack<ProxRegularisedOptions>(
  {
    name: 'prox-regularised',
    description:
      'norm-regularised attack max L(x+δ) − λR(δ) by proximal gradient ascent (NRAT, Gong et al. 2024)',
    defaults: {
      steps: 10,
      randomStart: false,
      regulariser: 'l2',
      lambda: 1,
      patch: REGULARISER_DEFAULTS.patch,
      l1Ratio: REGULARISER_DEFAULTS.l1Ratio,
      deadZone: REGULARISER_DEFAULTS.deadZone,
    },
    perturb(ctx) {
      const { x, eps } = ctx;
      const o = ctx.options;
      const regulariser = resolveRegulariser(o.regulariser);
      if (!(Number.isFinite(o.lambda) && o.lambda > 0)) {
        throw new InvalidOptionError(
          `prox-regularised: lambda must be a finite number > 0, got ${o.lambda}`,
        );
      }
      if (!(o.l1Ratio >= 0 && o.l1Ratio < 1)) {
        throw new InvalidOptionError(
          `prox-regularised: l1Ratio must lie in [0, 1), got ${o.l1Ratio}`,
        );
      }
      if (!(o.deadZone >= 0)) {
        throw new InvalidOptionError(`prox-regularised: deadZone must be ≥ 0, got ${o.deadZone}`);
      }
      const params = { patch: o.patch, l1Ratio: o.l1Ratio, deadZone: o.deadZone };
      const eta = o.stepSize === undefined ? tf.onesLike(eps) : ctx.stepSize;
      const threshold = tf.mul(eta, o.lambda);
      const w = pixelWeights(ctx);
      let delta: tf.Tensor4D;
      if (ctx.init) {
        delta = tf.sub(ctx.init, x);
      } else if (ctx.randomStart) {
        delta = tf.tidy(() => {
          const noise = weighted(tf.mul(ctx.rng.uniformTensor(x.shape, -1, 1), eps), ctx.mask);
          return tf.sub(ctx.clip(tf.add(x, noise)), x) as tf.Tensor4D;
        });
      } else {
        delta = tf.zerosLike(x);
      }
      for (let k = 0; k < ctx.steps; k++) {
        const next = tf.tidy(() => {
          const g = weighted(ctx.ascentGradient(tf.add(x, delta) as tf.Tensor4D), w);
          const ascended = tf.add(delta, tf.mul(eta, g)) as tf.Tensor4D;
          const boxed = projectLinf(regulariser.prox(ascended, threshold, params), eps);
          const masked = weighted(boxed, ctx.mask);
          return tf.sub(ctx.clip(tf.add(x, masked)), x) as tf.Tensor4D;
        });
        delta.dispose();
        delta = next;
      }
      const xAdv = tf.add(x, delta) as tf.Tensor4D;
      delta.dispose();
      return xAdv;
    },
  },
  { replace: true },
);
