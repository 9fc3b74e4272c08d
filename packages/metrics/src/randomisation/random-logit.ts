import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import { explainForTargets } from '../metric/explain-targets';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { targetClasses } from '../model/image-scores';
import { logitsOf } from '../model/model-like';
import {
  checkRandomisationSimilarity,
  mapSimilarities,
  type RandomisationSimilarity,
} from './map-correlations';

/** Options of {@link randomLogit}; defaults are Quantus' `RandomLogit`. */
export interface RandomLogitOptions {
  /** Map similarity (`similarity_func`). Default 'ssim' (1-D SSIM of the flattened maps). */
  similarity: RandomisationSimilarity;
  /** Compare |maps| (`abs`). Default false. */
  abs: boolean;
  /** Scale each map by its max |a| (`normalise`). Default true. */
  normalise: boolean;
}

const defaults: RandomLogitOptions = { similarity: 'ssim', abs: false, normalise: true };

/**
 * Random logit test (Sixt et al. 2020, "When Explanations Lie: Why Many
 * Modified BP Attributions Fail"; Quantus' `RandomLogit`): the similarity of
 * the map for the target class (the label `ctx.y`, else the predicted class)
 * to the map of x for a different class drawn uniformly from the others
 * (`ctx.rng`; the number of classes is read from the model's logits, where
 * Quantus takes `num_classes`). Default similarity: SSIM of the flattened
 * maps, window 7, data range max − min of the pair (Quantus' `ssim`). Lower
 * is better: a class-sensitive explanation changes with the class.
 * `extra.offClasses` lists the drawn classes. The original map is
 * `explain(x, target)` (not `ctx.explanations`, which may be for another
 * class).
 *
 * @example
 * await randomLogit.evaluate({ model, x, y, explain: vg, seed: 0 });
 */
export async function randomLogitValues(
  ctx: ResolvedMetricContext,
  options: RandomLogitOptions,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  checkRandomisationSimilarity(options.similarity);
  const x = ctx.x!;
  const n = x.shape[0];
  const targets = await targetClasses(ctx);
  const classes = tf.tidy(
    () => logitsOf(ctx.model!, tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1])).shape[1],
  );
  if (classes < 2) {
    throw new InvalidOptionError(
      `randomLogit needs a model with at least 2 classes to draw another class from; this one has ${classes}`,
    );
  }
  const off = Int32Array.from(targets, (t) => {
    const r = ctx.rng.int(classes - 1);
    return r < t ? r : r + 1;
  });
  const original = await explainForTargets(ctx, targets);
  const other = await explainForTargets(ctx, off, 'explain(x, other class)');
  const values = mapSimilarities(original, other, n, options.similarity, options);
  return { values, extra: { offClasses: Array.from(off) } };
}

/** Random logit test (Sixt et al. 2020), see {@link randomLogitValues}. */
export const randomLogit = defineMetric<RandomLogitOptions>(
  {
    name: 'randomLogit',
    description:
      'random logit (Sixt et al. 2020; Quantus): SSIM of the map for the target to the map for a random other class',
    higherIsBetter: false,
    requires: ['model', 'x', 'explain'],
    defaults,
    compute: randomLogitValues,
  },
  { replace: true },
);
