import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import { rowNorm } from '../norms/row-norm';
import { type Perturbation, uniformPerturbation } from '../perturbation/perturbation';
import { measurePerturbed } from '../perturbation/perturbed-batches';

/** Options of {@link localLipschitzEstimate}. */
export interface LocalLipschitzOptions {
  /** Random neighbours x' per sample. Default 10. */
  samples: number;
  /** Neighbourhood radius ε (L∞ ball, uniform draws) as a fraction of the data range width. Default 0.1 (the paper's ε). */
  radius: number;
  /** A custom perturbation replacing the uniform one (then `radius` is unused). */
  perturb: Perturbation | undefined;
}

/**
 * Local Lipschitz estimate (Alvarez-Melis & Jaakkola 2018, "On the Robustness
 * of Interpretability Methods"): `L(x) = max_{x' ∈ B_ε(x)} ‖e(x) − e(x')‖₂ / ‖x − x'‖₂`,
 * the max taken over `samples` random neighbours (the paper also uses random
 * search; it mentions Bayesian optimisation as an alternative we do not use).
 * Explanations for x's predicted class. Lower is better; a constant explanation gives 0,
 * `e(x) = c·x` gives exactly |c|. A neighbour equal to x is skipped (its ratio is 0/0).
 */
export const localLipschitzEstimate = defineMetric<LocalLipschitzOptions>(
  {
    name: 'localLipschitz',
    description:
      'local Lipschitz estimate (Alvarez-Melis & Jaakkola 2018): max ‖e(x) − e(x′)‖₂ / ‖x − x′‖₂ over x′ in an ε-ball',
    higherIsBetter: false,
    requires: ['model', 'x', 'explain'],
    defaults: { samples: 10, radius: 0.1, perturb: undefined },
    async compute(ctx, options) {
      const { samples, radius } = options;
      if (!Number.isInteger(samples) || samples < 1) {
        throw new InvalidOptionError(`samples must be a positive integer, got ${samples}`);
      }
      const [lo, hi] = ctx.dataRange;
      const perturb = options.perturb ?? uniformPerturbation(radius * (hi - lo));
      const rows = await measurePerturbed(ctx, samples, perturb, (g) =>
        tf.tidy(() => {
          const dx = rowNorm(tf.sub(g.xp, g.xRep), 2);
          const ratio = tf.div(rowNorm(tf.sub(g.ep, g.exRep), 2), tf.maximum(dx, 1e-30));
          return tf.where(tf.greater(dx, 0), ratio, tf.zerosLike(ratio)) as tf.Tensor1D;
        }),
      );
      const values: number[] = [];
      for (let i = 0; i < ctx.x!.shape[0]; i++) {
        values.push(Math.max(...rows.values.subarray(i * samples, (i + 1) * samples)));
      }
      return { values };
    },
  },
  { replace: true },
);
