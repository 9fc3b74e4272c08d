import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SeededRandom } from '@trustgrad/core-tensor';
import type { ExplainContext } from '../core/explain-context';

/** Options shared by the noise-averaging methods (SmoothGrad, SmoothGrad², VarGrad, LSE). */
export interface NoiseOptions {
  /** Number of noisy copies `n` per sample. */
  samples: number;
  /** Noise σ as a fraction of each sample's value range `max x − min x`. */
  noiseLevel: number;
  /** Seed of the Gaussian noise; the same seed gives the same map on every backend. */
  seed: number;
}

/** Defaults of SmoothGrad, SmoothGrad² and VarGrad: 50 copies, σ at 15% of the range (SmoothGrad's 10–20 %), seed 0. */
export const NOISE_DEFAULTS: Readonly<NoiseOptions> = Object.freeze({
  samples: 50,
  noiseLevel: 0.15,
  seed: 0,
});

/** Per-sample noise σ `[b, 1, ..., 1]` = `noiseLevel · (max x_i − min x_i)`. */
export function noiseSigma(x: tf.Tensor, noiseLevel: number): tf.Tensor {
  if (!(noiseLevel >= 0)) {
    throw new InvalidOptionError(
      `noiseLevel must be ≥ 0 (a fraction of the input range), got ${noiseLevel}`,
    );
  }
  return tf.tidy(() => {
    const flat = tf.reshape(x, [x.shape[0], -1]);
    const range = tf.sub(tf.max(flat, 1), tf.min(flat, 1));
    return tf.reshape(tf.mul(range, noiseLevel), [x.shape[0], ...x.shape.slice(1).map(() => 1)]);
  });
}

/**
 * `count` blocks of noisy copies of `x`: `[count·b, ...]`, block-major, with
 * `x_i + σ_i ε`, `ε ~ N(0, 1)` drawn from `rng` (on the CPU, so every backend
 * sees the same noise).
 */
export function noisyCopies(
  x: tf.Tensor,
  count: number,
  sigma: tf.Tensor,
  rng: SeededRandom,
): tf.Tensor {
  return tf.tidy(() => {
    const eps = rng.normalTensor([count, ...x.shape]);
    const noisy = tf.add(tf.expandDims(x, 0), tf.mul(eps, tf.expandDims(sigma, 0)));
    return tf.reshape(noisy, [count * x.shape[0], ...x.shape.slice(1)]);
  });
}

/** Mean and spread of the input gradient over the noisy copies. */
export interface GradientMoments {
  /** `(1/n) Σ_i ∇f_t(x + ε_i)`, `[b, ...]`. */
  mean: tf.Tensor;
  /** `(1/n) Σ_i (∇f_t(x + ε_i) − mean)²`, `[b, ...]` (population variance). */
  variance: tf.Tensor;
}

/**
 * Mean and variance of `∇f_t` over `n` noisy copies, evaluated in chunks of
 * `batchSize` images and merged with Chan et al.'s pairwise update (no
 * catastrophic cancellation, no `E[g²] − E[g]²`).
 */
export function noisyGradientMoments(
  ctx: ExplainContext,
  x: tf.Tensor,
  options: NoiseOptions,
): GradientMoments {
  const { samples, noiseLevel, seed } = options;
  const sigma = noiseSigma(x, noiseLevel);
  try {
    return noisyMoments(x, sigma, samples, new SeededRandom(seed), ctx.batchSize, (noisy) =>
      ctx.gradient(noisy),
    );
  } finally {
    sigma.dispose();
  }
}

/**
 * Mean and population variance of `evaluate(x + σ ε_i)` over `samples` noisy
 * copies `ε_i ~ N(0, 1)` drawn from `rng` (SmoothGrad's and Captum's
 * NoiseTunnel's loop). `floor(batchSize / b)` copies of the batch go to one
 * `evaluate(noisy [count·b, ...], first, count)` call (block-major, copy
 * `first` first); it returns `[count·b, ...]`. The noise is drawn in copy
 * order, so the result does not depend on `batchSize`. Chunks are merged
 * with Chan et al.'s pairwise update.
 */
export function noisyMoments(
  x: tf.Tensor,
  sigma: tf.Tensor,
  samples: number,
  rng: SeededRandom,
  batchSize: number,
  evaluate: (noisy: tf.Tensor, first: number, count: number) => tf.Tensor,
): GradientMoments {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InvalidOptionError(
      `samples must be a positive integer (noisy copies per input), got ${samples}`,
    );
  }
  const b = x.shape[0];
  const rest = x.shape.slice(1);
  const perChunk = Math.max(1, Math.floor(batchSize / b));
  let seen = 0;
  let mean: tf.Tensor = tf.zerosLike(x);
  let m2: tf.Tensor = tf.zerosLike(x);
  for (let first = 0; first < samples; first += perChunk) {
    const count = Math.min(perChunk, samples - first);
    const [nextMean, nextM2] = tf.tidy(() => {
      const values = tf.reshape(evaluate(noisyCopies(x, count, sigma, rng), first, count), [
        count,
        b,
        ...rest,
      ]);
      const groupMean = tf.mean(values, 0);
      const groupM2 = tf.sum(tf.square(tf.sub(values, tf.expandDims(groupMean, 0))), 0);
      const total = seen + count;
      const shift = tf.sub(groupMean, mean);
      return [
        tf.add(mean, tf.mul(shift, count / total)),
        tf.add(tf.add(m2, groupM2), tf.mul(tf.square(shift), (seen * count) / total)),
      ];
    });
    mean.dispose();
    m2.dispose();
    mean = nextMean;
    m2 = nextM2;
    seen += count;
  }
  const variance = tf.div(m2, samples);
  m2.dispose();
  return { mean, variance };
}
