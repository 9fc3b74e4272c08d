import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { type Baseline, baselineFill, checkBaseline } from '../perturbation/baseline-value';
import { featureStepCurves } from './perturbation-inputs';

/** Options of {@link monotonicity}; defaults are Quantus' `Monotonicity`. */
export interface MonotonicityOptions {
  /** Features (elements of h·w·c) inserted per step (`features_in_step`). Default 1. */
  featuresInStep: number;
  /** The image the features are inserted into (`perturb_baseline`). Default 'black' (the sample's minimum). */
  baseline: Baseline;
  /** Order by |attribution| (`abs`). Default true. */
  abs: boolean;
}

const defaults: MonotonicityOptions = { featuresInStep: 1, baseline: 'black', abs: true };

/**
 * Monotonicity (Arya et al. 2019, "One Explanation Does Not Fit All", AIX360's
 * `monotonicity_metric`; Quantus' `Monotonicity`). Starting from the baseline
 * image, the features of x (elements of the flattened `[h, w, c]` input) are
 * inserted cumulatively, `featuresInStep` at a time, in order of *increasing*
 * |attribution|, and the target logit is recorded after every step. The value
 * is 1 when that curve never decreases (`all(diff(p) ≥ 0)`), else 0; higher
 * is better (the mean is the share of monotonic samples).
 *
 * Departure, named: Quantus at 85bc29d refills the inserted indices with the
 * baseline (its `perturb_func` is baseline replacement on the baseline image),
 * so its curve is flat and every sample passes; here x's values are inserted,
 * as the paper and AIX360 do. Logits, as Quantus' `softmax=False` (AIX360
 * uses probabilities). Target: the label `ctx.y`, else the class predicted on x.
 *
 * @example
 * await monotonicity.evaluate({ model, x, explanations }, { featuresInStep: 28 });
 */
export async function monotonicityValues(
  ctx: ResolvedMetricContext,
  options: MonotonicityOptions,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  const { featuresInStep, baseline, abs } = options;
  checkBaseline(baseline);
  const curves = await featureStepCurves(ctx, {
    featuresInStep,
    order: 'ascending',
    abs,
    begin: (image, current) => {
      const fill = baselineFill(image, baseline, ctx.rng);
      for (let p = 0; p < current.length; p++) current[p] = fill();
      return (feature) => {
        current[feature] = image[feature];
      };
    },
  });
  const values = curves.map((curve) => {
    for (let k = 1; k < curve.length; k++) if (curve[k] < curve[k - 1]) return 0;
    return 1;
  });
  return { values, extra: { curves } };
}

/** Monotonicity (Arya et al. 2019), see {@link monotonicityValues}. */
export const monotonicity = defineMetric<MonotonicityOptions>(
  {
    name: 'monotonicity',
    description:
      'monotonicity (Arya et al. 2019; Quantus): 1 when the target logit never drops as features are inserted into black, least relevant first',
    higherIsBetter: true,
    requires: ['model', 'x', 'explanations'],
    defaults,
    compute: monotonicityValues,
  },
  { replace: true },
);
