import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, pgdStepSize } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import { explainOwned } from '../metric/explain-owned';
import { classMask } from '../model/class-mask';
import type { ModelLike } from '../model/model-like';
import { logitsOf } from '../model/model-like';
import { backgroundMask } from './background-mask';
import { type MapSimilarity, mapSimilarity } from './map-similarity';

/**
 * Perturbs only the background of `x`: returns `xAdv` of x's shape, changed
 * only where `background` (`[n, h, w, 1]`, 1 = background) is 1.
 */
export type BackgroundAttack = (
  model: ModelLike,
  x: tf.Tensor4D,
  target: tf.Tensor1D,
  background: tf.Tensor4D,
) => tf.Tensor4D | Promise<tf.Tensor4D>;

/** Options of {@link explanationConsistency}. */
export interface ExplanationConsistencyOptions {
  /**
   * Background = pixels whose map value is at or below this quantile of the map
   * (ties, e.g. the zeros of a ReLU map, go to the background; the rule of
   * {@link backgroundMask}, shared with the EC training objective). Default 0.5.
   */
  quantile: number;
  /** Similarity of the two maps: 'cosine' (default), 'pearson' or 'ssim' ({@link mapSimilarity}). */
  similarity: MapSimilarity;
  /** L∞ budget of the default masked PGD, as a fraction of the data range width. Default 0.1. */
  epsilon: number;
  /** Steps of the default masked PGD. Default 10. */
  steps: number;
  /** Replace the default masked PGD (e.g. with adversarial-trainer's masked PGD). */
  attack: BackgroundAttack | undefined;
}

/**
 * Explanation consistency (Wu et al. 2024, SPEC 2.5) as a metric: for each
 * sample, the map `E(x)` (per-pixel Σ_c |e|, for the predicted class t),
 * background = pixels at or below its q-quantile ({@link backgroundMask}), `xAdv` = x attacked on the
 * background only (default: masked L∞ PGD from a uniform random start,
 * maximising CE of class t, step 2.5·ε/steps, clipped to the data range), and
 * `c = sim(E(x), E(xAdv))` with E(xAdv) also explained for t (the prediction of
 * x is the one being explained), {@link mapSimilarity}: the same background
 * rule and similarity the `explanation-consistency` training objective of
 * adversarial-trainer uses. Higher = more consistent.
 *
 * Defined values for degenerate maps: a constant map is all background (every
 * pixel is at its quantile). Cosine: both maps zero → 1, one zero → 0.
 * Pearson: both constant → 1, one constant → 0.
 */
export const explanationConsistency = defineMetric<ExplanationConsistencyOptions>(
  {
    name: 'explanationConsistency',
    description:
      'explanation consistency (Wu et al. 2024): similarity of the maps of x and of its background-attacked twin',
    higherIsBetter: true,
    requires: ['model', 'x', 'explain'],
    defaults: { quantile: 0.5, similarity: 'cosine', epsilon: 0.1, steps: 10, attack: undefined },
    async compute(ctx, options) {
      const { quantile: q, similarity, epsilon, steps } = options;
      if (!Number.isInteger(steps) || steps < 1)
        throw new InvalidOptionError(`steps must be a positive integer, got ${steps}`);
      const x = ctx.x!;
      const model = ctx.model!;
      const n = x.shape[0];
      const [lo, hi] = ctx.dataRange;
      const attack =
        options.attack ?? maskedPgd(epsilon * (hi - lo), steps, [lo, hi], () => ctx.rng.uniform());
      const values: number[] = [];
      const backgroundShare: number[] = [];
      for (let start = 0; start < n; start += ctx.batchSize) {
        const g = Math.min(ctx.batchSize, n - start);
        const owned: tf.Tensor[] = [];
        try {
          const xs = tf.slice(x, [start, 0, 0, 0], [g, -1, -1, -1]);
          owned.push(xs);
          const target = tf.tidy(() => tf.argMax(logitsOf(model, xs), 1) as tf.Tensor1D);
          owned.push(target);
          const ex = ctx.explanations
            ? tf.slice(ctx.explanations, [start, 0, 0, 0], [g, -1, -1, -1])
            : await explainOwned(ctx.explain!, xs, target, 'explain(x)');
          owned.push(ex);
          const mapX = tf.tidy(() => tf.sum(tf.abs(ex), 3, true)) as tf.Tensor4D;
          owned.push(mapX);
          const background = backgroundMask(mapX, q);
          owned.push(background);
          const share = tf.tidy(() => tf.mean(background, [1, 2, 3]));
          owned.push(share);
          backgroundShare.push(...(await share.data()));
          const xAdv = await attack(model, xs, target, background);
          owned.push(xAdv);
          const eAdv = await explainOwned(ctx.explain!, xAdv, target, 'explain(xAdv)');
          owned.push(eAdv);
          const mapAdv = tf.tidy(() => tf.sum(tf.abs(eAdv), 3, true)) as tf.Tensor4D;
          owned.push(mapAdv);
          const sim = mapSimilarity(mapX, mapAdv, similarity);
          owned.push(sim);
          // Rounding can put a cosine of identical maps a hair above 1.
          for (const v of await sim.data()) values.push(Math.max(-1, Math.min(1, v)));
        } finally {
          tf.dispose(owned);
        }
      }
      return { values, extra: { backgroundShare } };
    },
  },
  { replace: true },
);

/**
 * Masked L∞ PGD that maximises the cross-entropy of `target`, changing only
 * where `background` is 1: uniform random start in the ε-ball, `steps` signed
 * gradient steps of 2.5·ε/steps, projection to the ε-ball and the data range.
 */
export function maskedPgd(
  epsilon: number,
  steps: number,
  range: [number, number],
  uniform: () => number,
): BackgroundAttack {
  const stepSize = pgdStepSize(epsilon, steps);
  return (model, x, target, background) => {
    const start = tf.tidy(() => {
      const noise = new Float32Array(x.size);
      for (let i = 0; i < noise.length; i++) noise[i] = (2 * uniform() - 1) * epsilon;
      return tf.clipByValue(
        tf.add(x, tf.mul(tf.tensor(noise, x.shape), background)),
        range[0],
        range[1],
      ) as tf.Tensor4D;
    });
    let xAdv = start;
    for (let s = 0; s < steps; s++) {
      const next = tf.tidy(() => {
        const classes = logitsOf(model, xAdv).shape[1];
        const onehot = classMask(target, classes);
        const grad = tf.grad((input: tf.Tensor) =>
          tf.neg(tf.sum(tf.mul(tf.logSoftmax(logitsOf(model, input as tf.Tensor4D)), onehot))),
        )(xAdv);
        const stepped = tf.add(xAdv, tf.mul(tf.mul(tf.sign(grad), stepSize), background));
        const projected = tf.clipByValue(tf.sub(stepped, x), -epsilon, epsilon);
        return tf.clipByValue(tf.add(x, projected), range[0], range[1]) as tf.Tensor4D;
      });
      xAdv.dispose();
      xAdv = next;
    }
    return xAdv;
  };
}
