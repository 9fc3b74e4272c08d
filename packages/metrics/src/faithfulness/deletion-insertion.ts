import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric, type Metric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { logitsOf } from '../model/model-like';
import { type PixelRelevance, pixelRelevance, rankPixels } from '../relevance/pixel-relevance';

/** Options of deletion and insertion. */
export interface DeletionInsertionOptions {
  /** Fraction of the pixels changed per step (last step takes the rest). Default 0.02 (51 points on the curve). */
  stepFraction: number;
  /** Value of removed pixels (deletion) and the start image (insertion): a number, or 'mean' (each image's own channel means). Default 0. */
  baseline: number | 'mean';
  /** The curve's score: softmax probability of the target class (Petsiuk et al.) or its logit. Default 'prob'. */
  output: 'prob' | 'logit';
  /** How channels become one pixel relevance for the ranking. Default 'abs'. */
  pixelRelevance: PixelRelevance;
}

/**
 * Deletion / insertion curve AUC (Petsiuk et al. 2018, RISE). Pixels (all
 * channels) are ranked by relevance; deletion replaces them, most relevant
 * first, by the baseline, insertion paints them from a baseline image. The
 * score of the class predicted on x is recorded after 0, s, 2s, … pixels and the
 * area under the curve is taken by the trapezoid rule over the fraction of
 * pixels changed (x-axis [0, 1]). Deletion: lower is better; insertion: higher.
 * Ties in relevance keep row-major order, so a constant map gives a defined
 * (top-left first) curve.
 *
 * Closed form used in the tests: a model whose output is the sum of s pixels
 * (value 1), ranked perfectly, one pixel per step of N: deletion AUC = s²/(2N),
 * insertion AUC = s − s²/(2N).
 */
export async function deletionInsertionAuc(
  ctx: ResolvedMetricContext,
  options: DeletionInsertionOptions,
  mode: 'deletion' | 'insertion',
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  const { stepFraction, baseline, output } = options;
  if (!(stepFraction > 0 && stepFraction <= 1)) {
    throw new InvalidOptionError(`stepFraction must be in (0, 1], got ${stepFraction}`);
  }
  if (output !== 'prob' && output !== 'logit') {
    throw new InvalidOptionError(`output must be 'prob' or 'logit', got ${String(output)}`);
  }
  if (baseline !== 'mean' && !Number.isFinite(baseline)) {
    throw new InvalidOptionError(
      `baseline must be a finite number or 'mean', got ${String(baseline)}`,
    );
  }
  const x = ctx.x!;
  const [n, h, w, c] = x.shape;
  const pixels = h * w;
  const perStep = Math.max(1, Math.round(stepFraction * pixels));
  const counts: number[] = [];
  for (let k = 0; k < pixels; k += perStep) counts.push(k);
  counts.push(pixels);
  const steps = counts.length;
  const relevance = pixelRelevance(ctx.explanations!, options.pixelRelevance);
  const relevanceValues = await relevance.data();
  relevance.dispose();
  const values: number[] = [];
  const curves: number[][] = [];
  const chunk = Math.max(1, ctx.batchSize);
  for (let i = 0; i < n; i++) {
    const order = rankPixels(relevanceValues.subarray(i * pixels, (i + 1) * pixels));
    // mask[k, p] = 1 where pixel p is already changed at point k of the curve.
    const changed = new Float32Array(steps * pixels);
    for (let k = 0; k < steps; k++) {
      for (let r = 0; r < counts[k]; r++) changed[k * pixels + order[r]] = 1;
    }
    const curve: number[] = [];
    const xi = tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]);
    const target = tf.tidy(() => tf.argMax(logitsOf(ctx.model!, xi), 1));
    const targetClass = (await target.data())[0];
    target.dispose();
    for (let s0 = 0; s0 < steps; s0 += chunk) {
      const m = Math.min(chunk, steps - s0);
      const scores = tf.tidy(() => {
        const mask = tf.tensor4d(changed.subarray(s0 * pixels, (s0 + m) * pixels), [m, h, w, 1]);
        const base = baseline === 'mean' ? tf.mean(xi, [1, 2], true) : tf.scalar(baseline);
        const images =
          mode === 'deletion'
            ? tf.add(tf.mul(xi, tf.sub(1, mask)), tf.mul(base, mask))
            : tf.add(tf.mul(xi, mask), tf.mul(base, tf.sub(1, mask)));
        const logits = logitsOf(ctx.model!, tf.broadcastTo(images, [m, h, w, c]) as tf.Tensor4D);
        const scored = output === 'prob' ? tf.softmax(logits) : logits;
        return tf.squeeze(tf.slice(scored, [0, targetClass], [m, 1]), [1]);
      });
      curve.push(...(await scores.data()));
      scores.dispose();
    }
    xi.dispose();
    let area = 0;
    for (let k = 1; k < steps; k++) {
      area += ((counts[k] - counts[k - 1]) / pixels) * (curve[k] + curve[k - 1]) * 0.5;
    }
    values.push(area);
    curves.push(curve);
  }
  return { values, extra: { fractions: counts.map((k) => k / pixels), curves } };
}

function curveMetric(mode: 'deletion' | 'insertion'): Metric<DeletionInsertionOptions> {
  return defineMetric<DeletionInsertionOptions>(
    {
      name: `${mode}Auc`,
      description: `${mode} AUC (Petsiuk et al. 2018): area under the target-class score as ranked pixels are ${mode === 'deletion' ? 'removed' : 'inserted'}`,
      higherIsBetter: mode === 'insertion',
      requires: ['model', 'x', 'explanations'],
      defaults: { stepFraction: 0.02, baseline: 0, output: 'prob', pixelRelevance: 'abs' },
      compute: (ctx, options) => deletionInsertionAuc(ctx, options, mode),
    },
    { replace: true },
  );
}

/** Deletion AUC (lower = more faithful), see {@link deletionInsertionAuc}. */
export const deletionAuc = curveMetric('deletion');
/** Insertion AUC (higher = more faithful), see {@link deletionInsertionAuc}. */
export const insertionAuc = curveMetric('insertion');
