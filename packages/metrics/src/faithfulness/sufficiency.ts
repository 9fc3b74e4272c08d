import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { predictClasses } from '../model/model-like';

/** Options of {@link sufficiency}; defaults are Quantus' `Sufficiency`. */
export interface SufficiencyOptions {
  /** Two explanations "apply to each other" when their distance is ≤ this (`threshold`). Default 0.6. */
  threshold: number;
  /**
   * `'seuclidean'` (Quantus' `distance_func`, scipy's standardised Euclidean:
   * each feature's squared difference divided by its variance over the
   * evaluated samples, ddof 1) or `'euclidean'`. Default 'seuclidean'.
   */
  distance: 'seuclidean' | 'euclidean';
  /** Take |attribution| first (`abs`). Default true. */
  abs: boolean;
}

const defaults: SufficiencyOptions = { threshold: 0.6, distance: 'seuclidean', abs: true };

/**
 * Sufficiency (Dasgupta et al. 2022, "Framework for Evaluating Faithfulness of
 * Local Explanations"; Quantus' `Sufficiency`): the probability that another
 * sample whose explanation lies within `threshold` of this one's gets the same
 * predicted class,
 *
 * `value_i = Σ_{j≠i} [d(a_i, a_j) ≤ τ]·[ŷ_i = ŷ_j] / Σ_{j≠i} [d(a_i, a_j) ≤ τ]`,
 *
 * 0 when no other explanation is within τ (Quantus divides by ∞ there).
 * Higher is better. The maps are flattened over h·w·c and each scaled by its
 * max |a| (Quantus' `normalise_by_max`; the standardised distance ignores any
 * per-feature scale, the Euclidean one does not).
 *
 * Departures, named: Quantus compares within each batch of its `batch_size`
 * (64); here every sample of x is compared with every other, so `batchSize`
 * sets speed, not the value. A feature with zero variance over the samples is
 * left out of the standardised distance (scipy divides 0 by 0, so one
 * constant feature would make every distance NaN and every value 0).
 *
 * @example
 * await sufficiency.evaluate({ model, x, explanations }, { distance: 'euclidean', threshold: 2 });
 */
export async function sufficiencyValues(
  ctx: ResolvedMetricContext,
  options: SufficiencyOptions,
): Promise<{ values: number[] }> {
  const { threshold, distance, abs } = options;
  if (!(threshold >= 0) || !Number.isFinite(threshold)) {
    throw new InvalidOptionError(`threshold must be a finite number ≥ 0, got ${threshold}`);
  }
  if (distance !== 'seuclidean' && distance !== 'euclidean') {
    throw new InvalidOptionError(
      `distance must be 'seuclidean' or 'euclidean', got ${JSON.stringify(distance)}`,
    );
  }
  const e = ctx.explanations!;
  const n = e.shape[0];
  const d = e.size / n;
  const raw = await e.data();
  const a = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let peak = 0;
    for (let f = 0; f < d; f++) peak = Math.max(peak, Math.abs(raw[i * d + f]));
    const scale = peak > 0 ? 1 / peak : 1;
    for (let f = 0; f < d; f++) {
      const v = raw[i * d + f] * scale;
      a[i * d + f] = abs ? Math.abs(v) : v;
    }
  }
  const weight = featureWeights(a, n, d, distance);
  const predicted = predictClasses(ctx.model!, ctx.x!, ctx.batchSize);
  const classes = await predicted.data();
  predicted.dispose();
  const near = new Uint32Array(n);
  const agree = new Uint32Array(n);
  const limit = threshold * threshold;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sq = 0;
      for (let f = 0; f < d; f++) {
        const diff = a[i * d + f] - a[j * d + f];
        sq += diff * diff * weight[f];
      }
      if (sq <= limit) {
        near[i]++;
        near[j]++;
        if (classes[i] === classes[j]) {
          agree[i]++;
          agree[j]++;
        }
      }
    }
  }
  return { values: Array.from(near, (m, i) => (m === 0 ? 0 : agree[i] / m)) };
}

/** 1/variance per feature (ddof 1; 0 for a constant feature) for 'seuclidean', else 1. */
function featureWeights(a: Float64Array, n: number, d: number, distance: string): Float64Array {
  const weight = new Float64Array(d).fill(1);
  if (distance === 'euclidean') return weight;
  for (let f = 0; f < d; f++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += a[i * d + f];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (a[i * d + f] - mean) ** 2;
    const variance = n > 1 ? ss / (n - 1) : 0;
    weight[f] = variance > 0 ? 1 / variance : 0;
  }
  return weight;
}

/** Sufficiency (Dasgupta et al. 2022), see {@link sufficiencyValues}. */
export const sufficiency = defineMetric<SufficiencyOptions>(
  {
    name: 'sufficiency',
    description:
      'sufficiency (Dasgupta et al. 2022; Quantus): share of samples with an explanation within distance 0.6 (standardised Euclidean) that get the same predicted class',
    higherIsBetter: true,
    requires: ['model', 'x', 'explanations'],
    defaults,
    compute: sufficiencyValues,
  },
  { replace: true },
);
