import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { checkNormOrder, rowNorm } from '../internal/norms';
import { measurePerturbed } from '../internal/perturbed-batches';
import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { type Perturbation, uniformPerturbation } from '../perturbation/perturbation';

/** Options of max- and average-sensitivity. */
export interface SensitivityOptions {
  /** Perturbed copies per sample (Monte Carlo estimate of the max / mean). Default 10. */
  samples: number;
  /** Radius r of the L∞ ball the copies are drawn from uniformly, as a fraction of the data range width. Default 0.2 (Quantus' default). */
  radius: number;
  /** Norm order of the explanation difference. Default 2. */
  p: number;
  /**
   * Divide by `‖e_x‖_p` so models with different gradient scales compare
   * (Quantus' practice). Default true; false gives Yeh et al.'s raw definition.
   * A zero `e_x` is divided by 1e-12 instead.
   */
  normalise: boolean;
  /** A custom perturbation replacing the uniform one (then `radius` is unused). */
  perturb: Perturbation | undefined;
}

const defaults: SensitivityOptions = {
  samples: 10,
  radius: 0.2,
  p: 2,
  normalise: true,
  perturb: undefined,
};

/**
 * Explanation sensitivity (Yeh et al. 2019, "On the (In)fidelity and
 * Sensitivity of Explanations"): `SENS(x) = agg_{‖δ‖∞ ≤ r} ‖e(x+δ) − e(x)‖_p`
 * (÷ `‖e(x)‖_p` when `normalise`), agg = max or mean over `samples` uniform draws,
 * explanations for x's predicted class. Lower is better; a constant explanation gives 0.
 */
export async function explanationSensitivity(
  ctx: ResolvedMetricContext,
  options: SensitivityOptions,
  aggregate: 'max' | 'mean',
): Promise<{ values: number[] }> {
  const { samples, radius, p, normalise } = options;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InvalidOptionError(`samples must be a positive integer, got ${samples}`);
  }
  checkNormOrder(p);
  const [lo, hi] = ctx.dataRange;
  const perturb = options.perturb ?? uniformPerturbation(radius * (hi - lo));
  const rows = await measurePerturbed(ctx, samples, perturb, (g) =>
    tf.tidy(() => {
      const diff = rowNorm(tf.sub(g.ep, g.exRep), p);
      return (
        normalise ? tf.div(diff, tf.maximum(rowNorm(g.exRep, p), 1e-12)) : diff
      ) as tf.Tensor1D;
    }),
  );
  const n = ctx.x!.shape[0];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows.values.subarray(i * samples, (i + 1) * samples);
    values.push(aggregate === 'max' ? Math.max(...row) : row.reduce((a, b) => a + b, 0) / samples);
  }
  return { values };
}

/** Max-sensitivity (Yeh et al. 2019), see {@link explanationSensitivity}. */
export const maxSensitivity = defineMetric<SensitivityOptions>(
  {
    name: 'maxSensitivity',
    description:
      'max-sensitivity (Yeh et al. 2019): max over uniform L∞-ball perturbations of ‖e(x+δ) − e(x)‖ (/‖e(x)‖)',
    higherIsBetter: false,
    requires: ['model', 'x', 'explain'],
    defaults,
    compute: (ctx, options) => explanationSensitivity(ctx, options, 'max'),
  },
  { replace: true },
);

/** Average sensitivity (Yeh et al. 2019), see {@link explanationSensitivity}. */
export const avgSensitivity = defineMetric<SensitivityOptions>(
  {
    name: 'avgSensitivity',
    description:
      'average sensitivity (Yeh et al. 2019): mean over uniform L∞-ball perturbations of ‖e(x+δ) − e(x)‖ (/‖e(x)‖)',
    higherIsBetter: false,
    requires: ['model', 'x', 'explain'],
    defaults,
    compute: (ctx, options) => explanationSensitivity(ctx, options, 'mean'),
  },
  { replace: true },
);
