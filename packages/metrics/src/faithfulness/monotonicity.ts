import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { imageScores, targetClasses } from '../model/image-scores';
import { type Baseline, baselineFill, checkBaseline } from '../perturbation/baseline-value';
import { checkFeaturesInStep, orderFeatures } from './feature-steps';

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
  const x = ctx.x!;
  const [n, h, w, c] = x.shape;
  const size = h * w * c;
  checkFeaturesInStep(featuresInStep, size);
  const steps = Math.ceil(size / featuresInStep);
  const pixels = await x.data();
  const attributions = await ctx.explanations!.data();
  const targets = await targetClasses(ctx);
  let order: Int32Array = new Int32Array(0);
  const current = new Float32Array(size);
  const scores = await imageScores(
    ctx,
    [h, w, c],
    n * steps,
    (j) => targets[Math.floor(j / steps)],
    (j, out) => {
      const i = Math.floor(j / steps);
      const k = j % steps;
      const image = pixels.subarray(i * size, (i + 1) * size);
      if (k === 0) {
        const fill = baselineFill(image, baseline, ctx.rng);
        for (let p = 0; p < size; p++) current[p] = fill();
        order = orderFeatures(attributions.subarray(i * size, (i + 1) * size), 'ascending', abs);
      }
      const end = Math.min(size, (k + 1) * featuresInStep);
      for (let r = k * featuresInStep; r < end; r++) current[order[r]] = image[order[r]];
      out.set(current);
    },
  );
  const curves: number[][] = [];
  const values = Array.from({ length: n }, (_, i) => {
    const curve = Array.from(scores.subarray(i * steps, (i + 1) * steps));
    curves.push(curve);
    for (let k = 1; k < steps; k++) if (curve[k] < curve[k - 1]) return 0;
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
