import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { MetricUndefinedError } from '../metric/metric-errors';
import { checkNormOrder, rowNorm } from '../norms/row-norm';
import { type Perturbation, uniformPerturbation } from '../perturbation/perturbation';
import { measurePerturbed } from '../perturbation/perturbed-batches';

/** What max- / average-sensitivity divide the explanation change by, see {@link SensitivityOptions.normalise}. */
export type SensitivityNormalisation = 'explanation' | 'input' | 'none';

/** Options of max- and average-sensitivity. */
export interface SensitivityOptions {
  /** Perturbed copies per sample (Monte Carlo estimate of the max / mean). Default 10. */
  samples: number;
  /** Radius r of the L∞ ball the copies are drawn from uniformly, as a fraction of the data range width. Default 0.2 (Quantus' default). */
  radius: number;
  /** Norm order of the explanation difference. Default 2. */
  p: number;
  /**
   * What the change is divided by:
   * - `'explanation'` (default): `‖e(x)‖_p`, the convention of Captum's
   *   `sensitivity_max` and of Quantus' `MaxSensitivity` / `AvgSensitivity`
   *   (`norm_denominator = fro_norm` of the explanation, Quantus 0.5), so
   *   models whose gradients differ in scale compare; a zero `e(x)` divides by
   *   1 (Captum's rule). Default because both reference libraries agree on it.
   * - `'input'`: `‖x‖_p`, the relative-to-the-input convention some Quantus
   *   users configure (`norm_denominator` applied to x); scale-dependent in e.
   * - `'none'`: Yeh et al.'s raw definition.
   */
  normalise: SensitivityNormalisation;
  /**
   * A copy that changes the predicted class: `'keep'` (default; Captum, and
   * Quantus' default `return_nan_when_prediction_changes=False`) or `'nan'`
   * (Quantus with `return_nan_when_prediction_changes=True`: the sample is
   * NaN, left out of the mean, its index in `extra.nanSamples`).
   */
  changedPrediction: 'keep' | 'nan';
  /** A custom perturbation replacing the uniform one (then `radius` is unused). */
  perturb: Perturbation | undefined;
}

const defaults: SensitivityOptions = {
  samples: 10,
  radius: 0.2,
  p: 2,
  normalise: 'explanation',
  changedPrediction: 'keep',
  perturb: undefined,
};

/**
 * Explanation sensitivity (Yeh et al. 2019, "On the (In)fidelity and
 * Sensitivity of Explanations"): `SENS(x) = agg_{‖δ‖∞ ≤ r} ‖e(x+δ) − e(x)‖_p / N`
 * with N = `‖e(x)‖_p`, `‖x‖_p` or 1 (see {@link SensitivityOptions.normalise}),
 * agg = max or mean over `samples` uniform draws, explanations for x's
 * predicted class. Lower is better; a constant explanation gives 0.
 */
export async function explanationSensitivity(
  ctx: ResolvedMetricContext,
  options: SensitivityOptions,
  aggregate: 'max' | 'mean',
): Promise<{ values: number[]; extra?: Record<string, unknown> }> {
  const { samples, radius, p, normalise, changedPrediction } = options;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InvalidOptionError(`samples must be a positive integer, got ${samples}`);
  }
  checkNormOrder(p);
  if (!['explanation', 'input', 'none'].includes(normalise)) {
    throw new InvalidOptionError(
      `normalise must be "explanation", "input" or "none", got ${JSON.stringify(normalise)}`,
    );
  }
  if (changedPrediction !== 'keep' && changedPrediction !== 'nan') {
    throw new InvalidOptionError(
      `changedPrediction must be "keep" or "nan", got ${JSON.stringify(changedPrediction)}`,
    );
  }
  const [lo, hi] = ctx.dataRange;
  const perturb = options.perturb ?? uniformPerturbation(radius * (hi - lo));
  const rows = await measurePerturbed(ctx, samples, perturb, (g) =>
    tf.tidy(() => {
      const diff = rowNorm(tf.sub(g.ep, g.exRep), p);
      if (normalise === 'none') return diff;
      const scale = rowNorm(normalise === 'explanation' ? g.exRep : g.xRep, p);
      return tf.div(diff, tf.where(tf.equal(scale, 0), tf.onesLike(scale), scale)) as tf.Tensor1D;
    }),
  );
  const n = ctx.x!.shape[0];
  const values: number[] = [];
  const sampleIndex: number[] = [];
  const nanSamples: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows.values.subarray(i * samples, (i + 1) * samples);
    if (
      changedPrediction === 'nan' &&
      rows.sameClass.subarray(i * samples, (i + 1) * samples).includes(0)
    ) {
      nanSamples.push(i);
      continue;
    }
    sampleIndex.push(i);
    values.push(aggregate === 'max' ? Math.max(...row) : row.reduce((a, b) => a + b, 0) / samples);
  }
  if (changedPrediction === 'keep') return { values };
  if (values.length === 0) {
    throw new MetricUndefinedError(
      `sensitivity: every one of the ${n} samples has a copy that changes the prediction (changedPrediction: "nan"); ` +
        'lower radius or use changedPrediction: "keep"',
    );
  }
  return { values, extra: { sampleIndex, nanSamples } };
}

/** Max-sensitivity (Yeh et al. 2019), see {@link explanationSensitivity}. */
export const maxSensitivity = defineMetric<SensitivityOptions>(
  {
    name: 'maxSensitivity',
    description:
      'max-sensitivity (Yeh et al. 2019): max over uniform L∞-ball perturbations of ‖e(x+δ) − e(x)‖ / ‖e(x)‖ (Captum, Quantus; option normalise)',
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
      'average sensitivity (Yeh et al. 2019): mean over uniform L∞-ball perturbations of ‖e(x+δ) − e(x)‖ / ‖e(x)‖ (Captum, Quantus; option normalise)',
    higherIsBetter: false,
    requires: ['model', 'x', 'explain'],
    defaults,
    compute: (ctx, options) => explanationSensitivity(ctx, options, 'mean'),
  },
  { replace: true },
);
