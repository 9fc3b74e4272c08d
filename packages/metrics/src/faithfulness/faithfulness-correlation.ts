import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { imageScores } from '../model/image-scores';
import { type Baseline, baselineFill, checkBaseline } from '../perturbation/baseline-value';
import { type Correlation, correlation } from '../statistics/correlation';
import { originalScores, perturbationInputs, sampleLayout } from './perturbation-inputs';

/** Options of {@link faithfulnessCorrelation}; defaults are Quantus' `FaithfulnessCorrelation`. */
export interface FaithfulnessCorrelationOptions {
  /** Random subsets per sample (`nr_runs`). Default 100. */
  nrRuns: number;
  /** Features (elements of h·w·c) per subset (`subset_size`), < h·w·c. Default 224. */
  subsetSize: number;
  /** Value of the removed features (`perturb_baseline`). Default 'black' (the sample's minimum). */
  baseline: Baseline;
  /** Correlation of attribution sums with output drops (`similarity_func`). Default 'pearson'. */
  similarity: Correlation;
  /** Take |attribution| first (`abs`). Default false. */
  abs: boolean;
}

const defaults: FaithfulnessCorrelationOptions = {
  nrRuns: 100,
  subsetSize: 224,
  baseline: 'black',
  similarity: 'pearson',
  abs: false,
};

/**
 * Faithfulness correlation (Bhatt et al. 2020, "Evaluating and Aggregating
 * Feature-based Model Explanations"; Quantus' `FaithfulnessCorrelation`). For
 * each of `nrRuns` random subsets S of `subsetSize` features (elements of the
 * flattened `[h, w, c]` input, drawn without replacement) the features of S
 * are set to the baseline, and per sample
 *
 * `value = corr_S( Σ_{i∈S} a_i , f_t(x) − f_t(x_{S←baseline}) )`,
 *
 * Pearson by default, with `f_t` the target logit (Quantus' `softmax=False`;
 * target: the label `ctx.y`, else the class predicted on x). Quantus'
 * normalisation by max|a| does not change a correlation, so it is not an
 * option. Higher is better (∈ [−1, 1]). A constant series (e.g. a constant
 * map) gives 0 where scipy gives NaN. Subsets come from `ctx.rng` in sample
 * order, so a seed fixes the value whatever `batchSize`.
 *
 * @example
 * await faithfulnessCorrelation.evaluate({ model, x, y, explanations, seed: 0 }, { nrRuns: 50 });
 */
export async function faithfulnessCorrelationValues(
  ctx: ResolvedMetricContext,
  options: FaithfulnessCorrelationOptions,
): Promise<{ values: number[] }> {
  const { nrRuns, subsetSize, baseline, abs } = options;
  const corr = correlation(options.similarity);
  checkBaseline(baseline);
  const layout = sampleLayout(ctx);
  const { n, shape, size } = layout;
  const [h, w, c] = shape;
  if (!Number.isInteger(nrRuns) || nrRuns < 2) {
    throw new InvalidOptionError(
      `nrRuns must be an integer ≥ 2 (a correlation needs two points), got ${nrRuns}`,
    );
  }
  if (!Number.isInteger(subsetSize) || subsetSize < 1 || subsetSize >= size) {
    throw new InvalidOptionError(
      `subsetSize must be an integer in [1, ${size - 1}] (below the ${h}·${w}·${c} features), got ${subsetSize}`,
    );
  }
  const inputs = await perturbationInputs(ctx, layout);
  const { pixels, attributions, targets } = inputs;
  const original = await originalScores(ctx, inputs);
  const sums = new Float64Array(n * nrRuns);
  const pool = new Int32Array(size);
  const perturbed = await imageScores(
    ctx,
    shape,
    n * nrRuns,
    (j) => targets[Math.floor(j / nrRuns)],
    (j, out) => {
      const i = Math.floor(j / nrRuns);
      const image = pixels.subarray(i * size, (i + 1) * size);
      out.set(image);
      const fill = baselineFill(image, baseline, ctx.rng);
      // Partial Fisher–Yates: the first subsetSize entries of pool are a uniform subset.
      for (let k = 0; k < size; k++) pool[k] = k;
      let sum = 0;
      for (let k = 0; k < subsetSize; k++) {
        const r = k + ctx.rng.int(size - k);
        const feature = pool[r];
        pool[r] = pool[k];
        pool[k] = feature;
        out[feature] = fill();
        const a = attributions[i * size + feature];
        sum += abs ? Math.abs(a) : a;
      }
      sums[j] = sum;
    },
  );
  const values = Array.from({ length: n }, (_, i) => {
    const drops = new Float64Array(nrRuns);
    for (let r = 0; r < nrRuns; r++) drops[r] = original[i] - perturbed[i * nrRuns + r];
    return corr(sums.subarray(i * nrRuns, (i + 1) * nrRuns), drops);
  });
  return { values };
}

/** Faithfulness correlation, see {@link faithfulnessCorrelationValues}. */
export const faithfulnessCorrelation = defineMetric<FaithfulnessCorrelationOptions>(
  {
    name: 'faithfulnessCorrelation',
    description:
      'faithfulness correlation (Bhatt et al. 2020; Quantus): Pearson of Σ_S a vs f(x) − f(x_S←black) over 100 random subsets of 224 features',
    higherIsBetter: true,
    requires: ['model', 'x', 'explanations'],
    defaults,
    compute: faithfulnessCorrelationValues,
  },
  { replace: true },
);
