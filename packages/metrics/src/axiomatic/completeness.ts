import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { imageScores, targetClasses } from '../model/image-scores';
import { type Baseline, baselineFill, checkBaseline } from '../perturbation/baseline-value';

/** Options of {@link completeness}; defaults are Quantus' `Completeness`. */
export interface CompletenessOptions {
  /** The reference input b, every feature replaced (`perturb_baseline`). Default 'black' (the sample's minimum). */
  baseline: Baseline;
  /**
   * Scale each map by its max |a| before summing (`normalise`). Default true,
   * as Quantus; a map that is complete in the input's units (Integrated
   * Gradients, DeepLIFT) passes only with `normalise: false`.
   */
  normalise: boolean;
  /** Largest |Σa − (f(x) − f(b))| that passes. Default 0: Quantus tests exact equality. */
  tolerance: number;
}

const defaults: CompletenessOptions = { baseline: 'black', normalise: true, tolerance: 0 };

/**
 * Completeness (Sundararajan et al. 2017's axiom, "summation to delta" of
 * Shrikumar et al. 2017; Quantus' `Completeness`): 1 when the attributions sum
 * to the change of the target logit from the baseline image,
 *
 * `|Σ_i a_i − (f_t(x) − f_t(b))| ≤ tolerance`,
 *
 * else 0; higher is better. `b` is x with every feature set to the baseline.
 * Target: the label `ctx.y`, else the class predicted on x; logits (Quantus'
 * `softmax=False`). Quantus normalises by max|a| over its whole batch; here per
 * sample, so a sample's value does not depend on the others.
 * `extra.gaps[i] = Σa − (f_t(x) − f_t(b))`, the quantity the test thresholds.
 *
 * @example
 * await completeness.evaluate({ model, x, explanations: ig }, { normalise: false, tolerance: 1e-3 });
 */
export async function completenessValues(
  ctx: ResolvedMetricContext,
  options: CompletenessOptions,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  const { baseline, normalise, tolerance } = options;
  checkBaseline(baseline);
  if (!(tolerance >= 0)) {
    throw new InvalidOptionError(`tolerance must be a number ≥ 0, got ${tolerance}`);
  }
  const x = ctx.x!;
  const [n, h, w, c] = x.shape;
  const size = h * w * c;
  const pixels = await x.data();
  const attributions = await ctx.explanations!.data();
  const targets = await targetClasses(ctx);
  // Rows 0…n−1: x; rows n…2n−1: the baselines.
  const scores = await imageScores(
    ctx,
    [h, w, c],
    2 * n,
    (j) => targets[j % n],
    (j, out) => {
      const i = j % n;
      const image = pixels.subarray(i * size, (i + 1) * size);
      if (j < n) out.set(image);
      else {
        const fill = baselineFill(image, baseline, ctx.rng);
        for (let p = 0; p < size; p++) out[p] = fill();
      }
    },
  );
  const gaps = Array.from({ length: n }, (_, i) => {
    const a = attributions.subarray(i * size, (i + 1) * size);
    let peak = 0;
    let sum = 0;
    for (let p = 0; p < size; p++) {
      peak = Math.max(peak, Math.abs(a[p]));
      sum += a[p];
    }
    const total = normalise && peak > 0 ? sum / peak : sum;
    return total - (scores[i] - scores[n + i]);
  });
  return { values: gaps.map((g) => (Math.abs(g) <= tolerance ? 1 : 0)), extra: { gaps } };
}

/** Completeness, see {@link completenessValues}. */
export const completeness = defineMetric<CompletenessOptions>(
  {
    name: 'completeness',
    description:
      'completeness (Sundararajan et al. 2017; Quantus): 1 when Σa = f(x) − f(black baseline) within a tolerance (default exact)',
    higherIsBetter: true,
    requires: ['model', 'x', 'explanations'],
    defaults,
    compute: completenessValues,
  },
  { replace: true },
);
