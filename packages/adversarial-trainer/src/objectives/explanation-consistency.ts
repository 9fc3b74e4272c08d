import * as tf from '@tensorflow/tfjs-core';
import type { AttributionMethod } from '@trustgrad/attribution';
import type { MapSimilarity } from '@trustgrad/metrics';
import { backgroundConsistency } from '../explanations/background-consistency';
import { crossEntropyPerSample } from '../losses/cross-entropy';
import { consistencyWeights } from './consistency-weights';
import { defineObjective } from './objective';

/** Options of {@link explanationConsistency}. */
export interface ExplanationConsistencyOptions {
  /** Attribution plugin for `E(x)`. Default `'gradcam'` on the last conv layer. */
  // biome-ignore lint/suspicious/noExplicitAny: any attribution plugin
  explanation: string | AttributionMethod<any>;
  /** Options of the explanation method, e.g. `{ layer: 'conv1' }`. Default `{}`. */
  explanationOptions: Record<string, unknown>;
  /** Background quantile q. Default 0.5. */
  q: number;
  /** Softmax temperature T of the weights. Default 1. */
  temperature: number;
  /** Map similarity: `'cosine'` (default), `'pearson'`, `'ssim'`. */
  similarity: MapSimilarity;
  /** Halvings of δ tried when the background attack changed the prediction. Default 4. */
  backtracks: number;
}

/** What {@link explanationConsistency}'s `prepare` builds (no gradient). */
export interface ExplanationConsistencyPrepared {
  /** `[batch]` consistencies `c_i`. */
  consistency: tf.Tensor1D;
  /** `[batch]` weights `w_i = n·softmax(−c/T)_i`, mean 1. */
  weights: tf.Tensor1D;
}

/**
 * Explanation-consistency training (Wu, Jiang, Wang, Tang, He, Lin 2024,
 * *Improving Network Interpretability via Explanation Consistency Evaluation*):
 * per sample the consistency `c_i` of its explanation under a background-only
 * attack that keeps the prediction (see `backgroundConsistency`), weights
 * `w = n·softmax(−c/T)` computed without gradient, and the weighted loss
 * `L = (1/n) Σ_i w_i · CE(f(x_i), y_i)` on the clean inputs. The background
 * attack is masked PGD-L∞ with the run's ε, steps, step size, range and rng
 * (the run's attack is not used).
 */
export const explanationConsistency = defineObjective<
  ExplanationConsistencyOptions,
  ExplanationConsistencyPrepared
>(
  {
    name: 'explanation-consistency',
    description:
      'Σ w_i·CE_i / n, w = n·softmax(−c/T), c = sim(E(x), E(x′)) under a background attack (Wu et al. 2024)',
    defaults: {
      explanation: 'gradcam',
      explanationOptions: {},
      q: 0.5,
      temperature: 1,
      similarity: 'cosine',
      backtracks: 4,
    },
    prepare(ctx) {
      const o = ctx.options;
      const result = backgroundConsistency(ctx.model, ctx.x, {
        explanation: o.explanation,
        explanationOptions: o.explanationOptions,
        q: o.q,
        similarity: o.similarity,
        backtracks: o.backtracks,
        attack: ctx.attackOptions,
      });
      const { consistency } = result;
      tf.dispose([result.predicted, result.map, result.background, result.xAdv, result.mapAdv]);
      return { consistency, weights: consistencyWeights(consistency, o.temperature) };
    },
    loss(ctx, { weights }) {
      const logits = ctx.logits(ctx.x);
      const loss = tf.mean(tf.mul(weights, crossEntropyPerSample(logits, ctx.y))) as tf.Scalar;
      return { loss, logits };
    },
  },
  { replace: true },
);
