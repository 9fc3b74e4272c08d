import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { imageScores } from '../model/image-scores';
import { type Baseline, baselineFill, checkBaseline } from '../perturbation/baseline-value';
import { type Correlation, correlation } from '../statistics/correlation';
import { checkFeaturesInStep, orderFeatures } from './feature-steps';
import { originalScores, perturbationInputs, sampleLayout } from './perturbation-inputs';

/** Options of {@link monotonicityCorrelation}; defaults are Quantus' `MonotonicityCorrelation`. */
export interface MonotonicityCorrelationOptions {
  /** Perturbations per step (`nr_samples`). Default 100. */
  nrSamples: number;
  /** Features (elements of h·w·c) perturbed per step (`features_in_step`). Default 1. */
  featuresInStep: number;
  /** Replacement of the step's features (`perturb_baseline`). Default 'uniform' (fresh U[0, 1) draws). */
  baseline: Baseline;
  /** Correlation of step relevance with the output change (`similarity_func`). Default 'spearman'. */
  similarity: Correlation;
  /** Order and sum |attribution| (`abs`). Default true. */
  abs: boolean;
}

const defaults: MonotonicityCorrelationOptions = {
  nrSamples: 100,
  featuresInStep: 1,
  baseline: 'uniform',
  similarity: 'spearman',
  abs: true,
};

/**
 * Monotonicity correlation (Nguyen & Martínez 2020, "On Quantitative Aspects
 * of Model Interpretability"; Quantus' `MonotonicityCorrelation`). The
 * features (elements of the flattened `[h, w, c]` input) are taken in order
 * of increasing |attribution|, `featuresInStep` at a time; for step k only
 * those features of x are replaced (`nrSamples` times, by the baseline) and
 *
 * `v_k = mean_s (f_t(x^{(k,s)}) − f_t(x))² / f_t(x)²`, `r_k = Σ_{i∈step k} |a_i|`,
 *
 * and the value is Spearman's ρ(r, v): higher is better (more relevant
 * features change the output more). Quantus divides by f_t(x)² only when
 * |f_t(x)| ≥ 10⁻⁵; a positive per-sample factor does not change a rank (or
 * Pearson) correlation, so it is omitted. With a constant baseline ('black',
 * a number, …) every perturbation of a step is the same image, so it is
 * scored once (the same value, `nrSamples` times fewer passes). Target: the
 * label `ctx.y`, else the class predicted on x; logits (Quantus'
 * `softmax=False`). Uniform draws come from `ctx.rng` in sample order.
 *
 * @example
 * await monotonicityCorrelation.evaluate({ model, x, explanations }, { nrSamples: 10, featuresInStep: 28 });
 */
export async function monotonicityCorrelationValues(
  ctx: ResolvedMetricContext,
  options: MonotonicityCorrelationOptions,
): Promise<{ values: number[] }> {
  const { nrSamples, featuresInStep, baseline, abs } = options;
  checkBaseline(baseline);
  const corr = correlation(options.similarity);
  if (!Number.isInteger(nrSamples) || nrSamples < 1) {
    throw new InvalidOptionError(`nrSamples must be a positive integer, got ${nrSamples}`);
  }
  const layout = sampleLayout(ctx);
  const { n, shape, size } = layout;
  checkFeaturesInStep(featuresInStep, size);
  const steps = Math.ceil(size / featuresInStep);
  const draws = baseline === 'uniform' ? nrSamples : 1;
  const inputs = await perturbationInputs(ctx, layout);
  const { pixels, attributions, targets } = inputs;
  const original = await originalScores(ctx, inputs);
  const orders: Int32Array[] = [];
  const perSample = steps * draws;
  const scores = await imageScores(
    ctx,
    shape,
    n * perSample,
    (j) => targets[Math.floor(j / perSample)],
    (j, out) => {
      const i = Math.floor(j / perSample);
      const k = Math.floor((j % perSample) / draws);
      const image = pixels.subarray(i * size, (i + 1) * size);
      orders[i] ??= orderFeatures(
        attributions.subarray(i * size, (i + 1) * size),
        'ascending',
        abs,
      );
      const fill = baselineFill(image, baseline, ctx.rng);
      out.set(image);
      const end = Math.min(size, (k + 1) * featuresInStep);
      for (let r = k * featuresInStep; r < end; r++) out[orders[i][r]] = fill();
    },
  );
  const values = Array.from({ length: n }, (_, i) => {
    const relevance = new Float64Array(steps);
    const change = new Float64Array(steps);
    const a = attributions.subarray(i * size, (i + 1) * size);
    for (let k = 0; k < steps; k++) {
      const end = Math.min(size, (k + 1) * featuresInStep);
      for (let r = k * featuresInStep; r < end; r++) {
        const v = a[orders[i][r]];
        relevance[k] += abs ? Math.abs(v) : v;
      }
      for (let s = 0; s < draws; s++) {
        change[k] += (scores[i * perSample + k * draws + s] - original[i]) ** 2 / draws;
      }
    }
    return corr(relevance, change);
  });
  return { values };
}

/** Monotonicity correlation (Nguyen & Martínez 2020), see {@link monotonicityCorrelationValues}. */
export const monotonicityCorrelation = defineMetric<MonotonicityCorrelationOptions>(
  {
    name: 'monotonicityCorrelation',
    description:
      'monotonicity correlation (Nguyen & Martínez 2020; Quantus): Spearman of |a| per feature vs the mean squared output change when it is replaced (100 uniform draws)',
    higherIsBetter: true,
    requires: ['model', 'x', 'explanations'],
    defaults,
    compute: monotonicityCorrelationValues,
  },
  { replace: true },
);
