import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import { type BaselineSpec, makeBaseline } from '../baselines/baseline';
import { defineAttribution } from '../core/attribution-method';
import { withCompleteness } from '../core/completeness';
import { noisyMoments } from '../noise/noisy-gradients';

/** Options of {@link gradientShap}. */
export interface GradientShapOptions {
  /**
   * The baseline distribution: a tensor `[n_b, ...sample]` of reference
   * inputs (e.g. training images) from which one is drawn uniformly per noisy
   * sample, one sample `[...sample]`, or a {@link BaselineSpec} that gives
   * each input its own baseline (`'zero'`, `'blur'`, `'uniform'`, a function).
   * Default `'zero'`.
   */
  baselines: BaselineSpec;
  /** Random points per input (Captum's `n_samples`). Default 5. */
  samples: number;
  /** Standard deviation of the Gaussian noise added to the input, absolute (Captum's `stdevs`). Default 0. */
  stdevs: number;
  /** Gaussian σ (pixels) of the `'blur'` baseline. Default 5. */
  blurSigma: number;
  /** Seed of the baseline draws, the α draws, the noise and a `'uniform'` baseline. Default 0. */
  seed: number;
}

/** Extras of {@link gradientShap}, each `[b]`. */
export interface GradientShapInfo extends Record<string, tf.Tensor> {
  /** `f_t(x) − (1/n) Σ_i f_t(b_i)` over the drawn baselines: what the map sums to in expectation (noise 0). */
  outputDifference: tf.Tensor1D;
  /** `Σ attr − outputDifference`; a Monte-Carlo error that shrinks like `1/√samples`. */
  completenessGap: tf.Tensor1D;
}

/**
 * GradientSHAP (Lundberg & Lee 2017, SHAP; Erion et al. 2021, expected
 * gradients), as Captum's `GradientShap`: for `i = 1..n`, draw a baseline
 * `b_i` from the distribution, noise `ε_i ~ N(0, stdevs²)` and
 * `α_i ~ U(0, 1)`, and average the gradient at a random point of the path
 * times the path:
 * `A = (1/n) Σ_i ∇f_t(b_i + α_i (x̃_i − b_i)) ⊙ (x̃_i − b_i)`, `x̃_i = x + ε_i`.
 * With `stdevs = 0`, `E[Σ A] = f_t(x) − E_b f_t(b)` (expected-gradients
 * completeness); `info` reports it against the drawn baselines.
 *
 * `floor(batchSize / b)` samples of the batch are evaluated per pass; every
 * draw is made in sample order from streams of `seed`, so the map does not
 * depend on `batchSize`. Shape `[b, ...]` like `x`.
 *
 * @example
 * const map = explain('gradient-shap', model, x, { baselines: trainImages, samples: 20 });
 */
export const gradientShap = defineAttribution<GradientShapOptions, GradientShapInfo>(
  {
    name: 'gradient-shap',
    description:
      'GradientSHAP: mean of ∇f_t(b + α(x + ε − b)) ⊙ (x + ε − b) over drawn baselines, α ~ U(0,1) (Lundberg & Lee 2017, Captum)',
    defaults: { baselines: 'zero', samples: 5, stdevs: 0, blurSigma: 5, seed: 0 },
    explain(ctx, x, options) {
      const { samples, stdevs, seed } = options;
      if (!(stdevs >= 0)) {
        throw new InvalidOptionError(`stdevs must be ≥ 0 (absolute noise σ), got ${stdevs}`);
      }
      if (!Number.isInteger(samples) || samples < 1) {
        throw new InvalidOptionError(`samples must be a positive integer, got ${samples}`);
      }
      const b = x.shape[0];
      const sampleShape = x.shape.slice(1);
      const pool = baselinePool(options.baselines, x, options);
      const poolSize = pool.shape[0];
      const perSample = !isDistribution(options.baselines, x);
      // Draws in sample order: index (i·b + j) belongs to sample i of input j.
      const pickRng = new SeededRandom(mixSeed(seed, 'gradient-shap', 'baseline'));
      const alphaRng = new SeededRandom(mixSeed(seed, 'gradient-shap', 'alpha'));
      const picks = Int32Array.from({ length: samples * b }, (_, k) =>
        perSample ? k % b : pickRng.int(poolSize),
      );
      const alphas = alphaRng.uniformArray(samples * b);
      const sigma = tf.fill([b, ...sampleShape.map(() => 1)], stdevs);
      const noiseRng = new SeededRandom(mixSeed(seed, 'gradient-shap', 'noise'));
      const { mean, variance } = noisyMoments(
        x,
        sigma,
        samples,
        noiseRng,
        ctx.batchSize,
        (noisy, first, count) => {
          const range = [first * b, count * b] as const;
          const drawn = tf.gather(
            pool,
            tf.tensor1d(picks.subarray(range[0], range[0] + range[1]), 'int32'),
          );
          const alpha = tf.tensor(alphas.subarray(range[0], range[0] + range[1]), [
            count * b,
            ...sampleShape.map(() => 1),
          ]);
          const path = tf.sub(noisy, drawn);
          return tf.mul(ctx.gradient(tf.add(drawn, tf.mul(alpha, path))), path);
        },
      );
      variance.dispose();
      const drawnScores = tf.reshape(ctx.quantity(tf.gather(pool, tf.tensor1d(picks, 'int32'))), [
        samples,
        b,
      ]);
      return withCompleteness(
        mean,
        tf.sub(ctx.quantity(x), tf.mean(drawnScores, 0)) as tf.Tensor1D,
      );
    },
  },
  { replace: true },
);

/** A tensor of x's rank is a distribution `[n_b, ...sample]` of baselines (any `n_b`), not one per input. */
function isDistribution(spec: BaselineSpec, x: tf.Tensor): boolean {
  return spec instanceof tf.Tensor && spec.rank === x.rank;
}

/** The baselines to draw from: the distribution `[n_b, ...]`, or one per input `[b, ...]`. */
function baselinePool(spec: BaselineSpec, x: tf.Tensor, options: GradientShapOptions): tf.Tensor {
  if (isDistribution(spec, x)) {
    const pool = spec as tf.Tensor;
    const sampleShape = x.shape.slice(1);
    if (pool.shape[0] < 1 || pool.shape.slice(1).some((d, i) => d !== sampleShape[i])) {
      throw new InvalidOptionError(
        `baselines has shape [${pool.shape.join(', ')}]; a baseline distribution is [n, ${sampleShape.join(', ')}] with n ≥ 1`,
      );
    }
    return pool;
  }
  return makeBaseline(spec, x, options);
}
