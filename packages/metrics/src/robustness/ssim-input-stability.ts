import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import { explainOwned } from '../metric/explain-owned';
import { forEachBatch } from '../metric/for-each-batch';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { MetricUndefinedError } from '../metric/metric-errors';
import { logitsOf } from '../model/model-like';
import { gaussianPerturbation } from '../perturbation/perturbation';
import { structuralSimilarity } from '../similarity/ssim';

/** Options of {@link ssimInputStability}. */
export interface SsimStabilityOptions {
  /** Noise levels σ, as fractions of the data range width. Default 0.01, 0.03, 0.05, 0.07, 0.09, 0.1, 0.15, 0.2 (FMS authors). */
  sigmas: readonly number[];
  /** SSIM window side. Default 5 (FMS authors). */
  windowSize: number;
  /** SSIM `data_range`. Default 2 (the FMS authors' value for gradient maps). */
  ssimDataRange: number;
  /** Clip the noisy copies to the data range. Default true (FMS authors: `np.clip(x + noise, 0, 1)`). */
  clip: boolean;
  /**
   * Maps compared: `'abs'` (default) `Σ_c |e|`, the FMS authors' Captum
   * `Saliency` (abs by default) summed over channels; `'signed'` `Σ_c e`.
   */
  map: 'abs' | 'signed';
}

const defaults: SsimStabilityOptions = {
  sigmas: [0.01, 0.03, 0.05, 0.07, 0.09, 0.1, 0.15, 0.2],
  windowSize: 5,
  ssimDataRange: 2,
  clip: true,
  map: 'abs',
};

/**
 * Input stability as the FMS authors report it (`filter_and_compute_SSIM` in
 * their `common_metrics.py`): for each σ, one copy `x' = clip(x + N(0, σ²))`
 * per sample; for the copies still classified as the target (the label
 * `ctx.y` when given, else the class predicted on x), the SSIM
 * ({@link structuralSimilarity}, window 5, data range 2, scikit-image's
 * constants) between the map of x and of x', both explained for the target.
 * `extra.bySigma[k] = { sigma, mean, count }` is their per-σ figure (mean over
 * the kept copies). A sample's value is its mean SSIM over the σ whose copy
 * was kept; samples with none are in `extra.skipped`. Higher is more stable;
 * SSIM of a map with itself is 1.
 */
export async function ssimInputStability(
  ctx: ResolvedMetricContext,
  options: SsimStabilityOptions,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  const { sigmas, windowSize, ssimDataRange, clip, map } = options;
  if (!Array.isArray(sigmas) || sigmas.length === 0 || sigmas.some((s) => !(s >= 0))) {
    throw new InvalidOptionError(
      `sigmas must be a non-empty list of numbers ≥ 0, got ${JSON.stringify(sigmas)}`,
    );
  }
  if (map !== 'abs' && map !== 'signed') {
    throw new InvalidOptionError(`map must be "abs" or "signed", got ${JSON.stringify(map)}`);
  }
  const x = ctx.x!;
  const n = x.shape[0];
  const [lo, hi] = ctx.dataRange;
  const sums = new Float64Array(n);
  const counts = new Int32Array(n);
  const bySigma = sigmas.map((sigma) => ({ sigma, sum: 0, count: 0 }));
  const toMap = (e: tf.Tensor4D) =>
    tf.tidy(() => tf.sum(map === 'abs' ? tf.abs(e) : e, 3, true) as tf.Tensor4D);
  await forEachBatch(n, ctx.batchSize, async (start, g, keep) => {
    const xs = keep(tf.slice(x, [start, 0, 0, 0], [g, -1, -1, -1]));
    const target = keep(
      ctx.y
        ? (tf.cast(tf.slice(ctx.y, [start], [g]), 'int32') as tf.Tensor1D)
        : (tf.tidy(() => tf.argMax(logitsOf(ctx.model!, xs), 1)) as tf.Tensor1D),
    );
    const mapX = keep(toMap(keep(await explainOwned(ctx.explain!, xs, target, 'explain(x)'))));
    for (let k = 0; k < sigmas.length; k++) {
      const noisy = keep(
        gaussianPerturbation(sigmas[k] * (hi - lo), clip ? [lo, hi] : undefined)(xs, 1, ctx.rng),
      );
      const kept = await keep(
        tf.tidy(() => tf.equal(tf.argMax(logitsOf(ctx.model!, noisy), 1), target)),
      ).data();
      const mapNoisy = keep(
        toMap(keep(await explainOwned(ctx.explain!, noisy, target, 'explain(noisy x)'))),
      );
      const scores = structuralSimilarity(mapX, mapNoisy, {
        windowSize,
        dataRange: ssimDataRange,
      });
      for (let i = 0; i < g; i++) {
        if (!kept[i]) continue;
        sums[start + i] += scores[i];
        counts[start + i]++;
        bySigma[k].sum += scores[i];
        bySigma[k].count++;
      }
    }
  });
  const values: number[] = [];
  const sampleIndex: number[] = [];
  const skipped: number[] = [];
  for (let i = 0; i < n; i++) {
    if (counts[i] === 0) skipped.push(i);
    else {
      values.push(sums[i] / counts[i]);
      sampleIndex.push(i);
    }
  }
  if (values.length === 0) {
    throw new MetricUndefinedError(
      `ssim: no noisy copy of any of the ${n} samples kept its class at any σ; use smaller sigmas`,
    );
  }
  return {
    values,
    extra: {
      bySigma: bySigma.map(({ sigma, sum, count }) => ({
        sigma,
        mean: count > 0 ? sum / count : null,
        count,
      })),
      sampleIndex,
      skipped,
    },
  };
}

/** SSIM of maps under input noise (FMS authors' input stability), see {@link ssimInputStability}. */
export const ssimStability = defineMetric<SsimStabilityOptions>(
  {
    name: 'ssim',
    description:
      'SSIM (window 5, data range 2) between the map of x and of clip(x + N(0, σ²)), kept copies only, mean over σ (FMS authors)',
    higherIsBetter: true,
    requires: ['model', 'x', 'explain'],
    defaults,
    compute: ssimInputStability,
  },
  { replace: true },
);
