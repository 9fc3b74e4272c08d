import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { checkExplanation } from '../metric/check-explanation';
import { defineMetric } from '../metric/define-metric';
import { explainOwned } from '../metric/explain-owned';
import { forEachBatch } from '../metric/for-each-batch';
import { MetricUndefinedError } from '../metric/metric-errors';
import { logitsOf } from '../model/model-like';
import { type PixelRelevance, pixelRelevance, rankPixels } from '../relevance/pixel-relevance';

/** Options of {@link adversarialClassRetrieval}. */
export interface AdversarialClassRetrievalOptions {
  /** Fraction of pixels kept from the adversarial input (the most relevant). Default 0.2. */
  keepFraction: number;
  /** Value of the pixels not kept. Default 0. */
  baseline: number;
  /** How channels become one pixel relevance. Default 'abs'. */
  pixelRelevance: PixelRelevance;
}

/**
 * Adversarial class retrieval (Lim, Lee, Kim, CVPR 2021, LSE paper). Protocol:
 *
 * 1. `xAdv = attack(model, x, y)` (ctx.attack, e.g. PGD-20 at the dataset ε).
 * 2. Eligible samples: predicted `y` on x AND predicted some `y' ≠ y` on xAdv
 *    (the attack flipped a correct prediction). Others get no value; their
 *    indices are in `extra.skipped`, the eligible ones' in `extra.sampleIndex`.
 * 3. `E(xAdv)` explains xAdv for its adversarial class y' (what the model sees).
 * 4. Guided input: keep the ⌈k·h·w⌉ most relevant pixels of xAdv (per-pixel
 *    relevance Σ_c |E|, ties in row-major order, all channels), set the rest to
 *    `baseline`.
 * 5. Value 1 when the model classifies the guided input as the original y, else 0.
 *
 * The mean is the retrieval rate: how often the explanation of an adversarial
 * example still points at evidence of the true class. Higher is better. Fails
 * with {@link MetricUndefinedError} when no sample is eligible.
 */
export const adversarialClassRetrieval = defineMetric<AdversarialClassRetrievalOptions>(
  {
    name: 'advClassRetrieval',
    description:
      'adversarial class retrieval (LSE, Lim et al. 2021): share of flipped adversarial inputs whose top-k% explained pixels are classified as the true class',
    higherIsBetter: true,
    requires: ['model', 'x', 'y', 'explain', 'attack'],
    defaults: { keepFraction: 0.2, baseline: 0, pixelRelevance: 'abs' },
    async compute(ctx, options) {
      const { keepFraction, baseline } = options;
      if (!(keepFraction > 0 && keepFraction <= 1)) {
        throw new InvalidOptionError(`keepFraction must be in (0, 1], got ${keepFraction}`);
      }
      const x = ctx.x!;
      const model = ctx.model!;
      const [n, h, w] = x.shape;
      const pixels = h * w;
      const keepCount = Math.ceil(keepFraction * pixels);
      const values: number[] = [];
      const sampleIndex: number[] = [];
      const skipped: number[] = [];
      let flipped = 0;
      let correct = 0;
      await forEachBatch(n, ctx.batchSize, async (start, g, own) => {
        const xs = own(tf.slice(x, [start, 0, 0, 0], [g, -1, -1, -1]));
        const ys = own(
          tf.tidy(() => tf.cast(tf.slice(ctx.y!, [start], [g]), 'int32') as tf.Tensor1D),
        );
        const xAdv = own(await ctx.attack!(model, xs, ys));
        checkExplanation(xAdv, xs, 'attack(model, x, y)');
        const predClean = await own(tf.tidy(() => tf.argMax(logitsOf(model, xs), 1))).data();
        const advPred = own(tf.tidy(() => tf.argMax(logitsOf(model, xAdv), 1) as tf.Tensor1D));
        const predAdv = await advPred.data();
        const labels = await ys.data();
        const eAdv = own(await explainOwned(ctx.explain!, xAdv, advPred, 'explain(xAdv)'));
        const rel = own(pixelRelevance(eAdv, options.pixelRelevance));
        const r = await rel.data();
        const keep = new Float32Array(g * pixels);
        for (let i = 0; i < g; i++) {
          const order = rankPixels(r.subarray(i * pixels, (i + 1) * pixels));
          for (let j = 0; j < keepCount; j++) keep[i * pixels + order[j]] = 1;
        }
        const guidedPred = await own(
          tf.tidy(() => {
            const m = tf.tensor4d(keep, [g, h, w, 1]);
            const guided = tf.add(tf.mul(xAdv, m), tf.mul(tf.scalar(baseline), tf.sub(1, m)));
            return tf.argMax(logitsOf(model, guided as tf.Tensor4D), 1);
          }),
        ).data();
        for (let i = 0; i < g; i++) {
          if (predClean[i] === labels[i]) correct++;
          const eligible = predClean[i] === labels[i] && predAdv[i] !== labels[i];
          if (!eligible) {
            skipped.push(start + i);
            continue;
          }
          flipped++;
          sampleIndex.push(start + i);
          values.push(guidedPred[i] === labels[i] ? 1 : 0);
        }
      });
      if (values.length === 0) {
        throw new MetricUndefinedError(
          `adversarial class retrieval: the attack flipped none of the ${correct} correctly classified samples (of ${n}); ` +
            'use a stronger attack (more steps, larger ε) or more samples',
        );
      }
      return {
        values,
        extra: { sampleIndex, skipped, attackSuccessRate: correct ? flipped / correct : 0 },
      };
    },
  },
  { replace: true },
);
