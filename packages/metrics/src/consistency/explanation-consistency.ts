import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import { explainOwned } from '../metric/explain-owned';
import { forEachBatch } from '../metric/for-each-batch';
import type { ModelLike } from '../model/model-like';
import { logitsOf } from '../model/model-like';
import { backgroundMask } from './background-mask';
import { type MapSimilarity, mapSimilarity } from './map-similarity';

/**
 * Perturbs only the background of `x`: returns `xAdv` of x's shape, changed
 * only where `background` (`[n, h, w, 1]`, 1 = background) is 1, for the
 * class `target` (`[n]`, the prediction on x). The metrics package holds no
 * attack of its own (attacks live in adversarial-trainer, above metrics);
 * adversarial-trainer's `backgroundAttack({ eps, steps })` is the EC
 * objective's masked PGD with the prediction kept, the one to use.
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
  /**
   * The background attack, required: there is no default, because the metric
   * would otherwise re-implement an attack and score by another rule than the
   * EC training objective. Pass adversarial-trainer's
   * `backgroundAttack({ eps, steps, range, rng })` to score by the objective's
   * rule (the bench does, with its evaluation ε and steps).
   */
  attack: BackgroundAttack | undefined;
}

/**
 * Explanation consistency (Wu et al. 2024, SPEC 2.5) as a metric: for each
 * sample, the map `E(x)` (per-pixel Σ_c |e|, for the predicted class t),
 * background = pixels at or below its q-quantile ({@link backgroundMask}), `xAdv` = x attacked on the
 * background only by the injected `attack` ({@link BackgroundAttack}; required), and
 * `c = sim(E(x), E(xAdv))` with E(xAdv) also explained for t (the prediction of
 * x is the one being explained), {@link mapSimilarity}: the same background
 * rule and similarity the `explanation-consistency` training objective of
 * adversarial-trainer uses; with its `backgroundAttack` the metric equals the
 * objective's training signal. Higher = more consistent. Shapes: x
 * `[n, h, w, c]`, values `[n]` in [−1, 1].
 *
 * @example
 * ```ts
 * import { backgroundAttack } from '@trustgrad/adversarial-trainer';
 * const r = await explanationConsistency.evaluate(
 *   { model, x, explain },
 *   { attack: backgroundAttack({ eps: 0.1, steps: 10 }) },
 * );
 * ```
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
    defaults: { quantile: 0.5, similarity: 'cosine', attack: undefined },
    async compute(ctx, options) {
      const { quantile: q, similarity, attack } = options;
      if (typeof attack !== 'function') {
        throw new InvalidOptionError(
          `explanationConsistency: option "attack" must be a background attack (model, x, target, background) => xAdv, got ${attack === undefined ? 'none' : typeof attack}; ` +
            "pass adversarial-trainer's backgroundAttack({ eps, steps }) (the EC objective's masked PGD), which the metrics package cannot define itself",
        );
      }
      const x = ctx.x!;
      const model = ctx.model!;
      const n = x.shape[0];
      const values: number[] = [];
      const backgroundShare: number[] = [];
      await forEachBatch(n, ctx.batchSize, async (start, g, keep) => {
        const xs = keep(tf.slice(x, [start, 0, 0, 0], [g, -1, -1, -1]));
        const target = keep(tf.tidy(() => tf.argMax(logitsOf(model, xs), 1) as tf.Tensor1D));
        const ex = keep(
          ctx.explanations
            ? tf.slice(ctx.explanations, [start, 0, 0, 0], [g, -1, -1, -1])
            : await explainOwned(ctx.explain!, xs, target, 'explain(x)'),
        );
        const mapX = keep(tf.tidy(() => tf.sum(tf.abs(ex), 3, true)) as tf.Tensor4D);
        const background = keep(backgroundMask(mapX, q));
        const share = keep(tf.tidy(() => tf.mean(background, [1, 2, 3])));
        backgroundShare.push(...(await share.data()));
        const xAdv = keep(await attack(model, xs, target, background));
        const eAdv = keep(await explainOwned(ctx.explain!, xAdv, target, 'explain(xAdv)'));
        const mapAdv = keep(tf.tidy(() => tf.sum(tf.abs(eAdv), 3, true)) as tf.Tensor4D);
        const sim = keep(mapSimilarity(mapX, mapAdv, similarity));
        // Rounding can put a cosine of identical maps a hair above 1.
        for (const v of await sim.data()) values.push(Math.max(-1, Math.min(1, v)));
      });
      return { values, extra: { backgroundShare } };
    },
  },
  { replace: true },
);
