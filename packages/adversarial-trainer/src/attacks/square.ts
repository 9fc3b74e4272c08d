import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, type SeededRandom } from '@trustgrad/core-tensor';
import { marginPerSample } from '../losses/margin';
import { type AttackContext, defineAttack } from './attack';
import { projectLinf } from './norm-ball';
import { weighted } from './pixel-weights';
import { checkRestarts, cleanRobustness, robustSubBatch } from './robust-rows';
import {
  gatherIfPerSample,
  gatherRows,
  indicesWhere,
  rejectOptions,
  scatterRows,
  selectRows,
} from './sample-rows';

/** Extra options of {@link square}. */
export interface SquareOptions {
  /** p_init: the first squares cover about this fraction of the image. Default 0.8. */
  pInit: number;
  /** Runs from fresh random starts on the samples still robust. Default 1. */
  restarts: number;
  /** Stretch the p schedule (written for 10 000 queries) to `steps` queries (`resc_schedule`). Default true. */
  rescaleSchedule: boolean;
}

/**
 * Square's schedule of p, the fraction of pixels a square covers, at query
 * `it` (0-based), as `p_selection` of fra31/auto-attack `square.py`: p_init
 * halves after queries 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000; with
 * `rescale`, `it` is first mapped to `⌊it / queries · 10000⌋`.
 *
 * @example
 * squareP(0, 0.8, 5000, false); // 0.8
 * squareP(100, 0.8, 5000, false); // 0.2
 */
export function squareP(it: number, pInit: number, queries: number, rescale: boolean): number {
  const i = rescale ? Math.trunc((it / queries) * 10000) : it;
  const bounds = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];
  const halvings = bounds.filter((b) => i > b).length;
  return pInit / 2 ** halvings;
}

/** Python's `round` (half to even), so square sides match the reference's. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A `[shape]` tensor of independent random signs ±1. */
function randomSigns(rng: SeededRandom, shape: number[]): tf.Tensor {
  return tf.tidy(() => tf.sign(rng.uniformTensor(shape, -1, 1)));
}

interface SquareRun {
  ctx: AttackContext<SquareOptions>;
  x: tf.Tensor4D;
  labels: tf.Tensor1D;
  eps: tf.Tensor4D;
  mask: tf.Tensor | undefined;
}

/** The margin `z_y − max_{j≠y} z_j` of every sample of `x` (Square's loss, minimised). */
function margins(
  ctx: AttackContext<SquareOptions>,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
): Float32Array {
  return tf.tidy(
    () =>
      marginPerSample(
        ctx.model.apply(x, { training: false }) as tf.Tensor2D,
        labels,
      ).dataSync() as Float32Array,
  );
}

/** One run of Square-L∞ (`attack_single_run` of `square.py`): lowest-margin point and its margin per sample. */
function squareSingleRun(run: SquareRun): { xBest: tf.Tensor4D; margin: Float32Array } {
  const { ctx, x, labels, eps, mask } = run;
  const [n, h, w, c] = x.shape;
  const o = ctx.options;
  const project = (t: tf.Tensor, center: tf.Tensor4D, radius: tf.Tensor4D) =>
    ctx.clip(tf.add(center, projectLinf(tf.sub(t, center), radius)));
  // Start: vertical stripes of ±ε (one sign per column and channel).
  let xBest = tf.tidy(() =>
    ctx.clip(tf.add(x, tf.mul(eps, weighted(randomSigns(ctx.rng, [n, 1, w, c]), mask)))),
  );
  const marginMin = margins(ctx, xBest, labels);
  if (marginMin.every((m) => m < 0)) return { xBest, margin: marginMin };
  for (let it = 0; it < ctx.steps; it++) {
    const rows = indicesWhere(Array.from(marginMin, (m) => m > 0));
    if (rows.length === 0) break;
    const p = squareP(it, o.pInit, ctx.steps, o.rescaleSchedule);
    const side = Math.min(
      Math.max(roundHalfEven(Math.sqrt((p * h * w * c) / c)), 1),
      Math.min(h, w),
    );
    // One square, one sign per channel, for the whole batch (as the reference); its corner is
    // drawn from [0, h − side) like `random_int(0, h - s)`, so the last row/column start is never drawn.
    const top = ctx.rng.int(h - side);
    const left = ctx.rng.int(w - side);
    const all = rows.length === n;
    const next = tf.tidy(() => {
      const xs = all ? x : gatherRows(x, rows);
      const ys = all ? labels : gatherRows(labels, rows);
      const radius = all ? eps : gatherRows(eps, rows);
      const best = all ? xBest : gatherRows(xBest, rows);
      const m = gatherIfPerSample(mask, n, rows) ?? mask;
      const patch = tf.mul(
        tf.ones([1, side, side, c]),
        tf.mul(2, randomSigns(ctx.rng, [1, 1, 1, c])),
      );
      const window = tf.pad(patch, [
        [0, 0],
        [top, h - side - top],
        [left, w - side - left],
        [0, 0],
      ]);
      const xNew = project(tf.add(best, tf.mul(radius, weighted(window, m))), xs, radius);
      const marginNew = margins(ctx, xNew, ys);
      const improved = rows.map((s, j) => marginNew[j] < marginMin[s] || marginNew[j] <= 0);
      rows.forEach((s, j) => {
        if (improved[j]) marginMin[s] = marginNew[j];
      });
      const chosen = selectRows(improved, xNew, best);
      return all ? chosen : scatterRows(xBest, chosen, rows, improved);
    });
    xBest.dispose();
    xBest = next;
  }
  return { xBest, margin: marginMin };
}

/**
 * Square Attack, L∞ (Andriushchenko, Croce, Flammarion, Hein, ECCV 2020,
 * *Square Attack: a query-efficient black-box adversarial attack via random
 * search*), score-based: it reads only the logits, no gradient. Start from
 * vertical stripes `x ± ε`; at each of `steps` queries draw a random square
 * of side `round(√(p·h·w))` (p from {@link squareP}) and a sign per channel,
 * set the square to `x ± ε` and keep the result when the margin loss
 * `z_y − max_{j≠y} z_j` drops or the sample is misclassified. As
 * `SquareAttack` (norm Linf, loss margin) of fra31/auto-attack: one square per
 * query shared by the batch, only samples still correctly classified queried.
 * Defaults: 5000 queries, p_init 0.8, one restart, schedule rescaled to the
 * queries (AutoAttack itself runs it unrescaled).
 *
 * Returns, per sample, the misclassified point found, else the lowest-margin
 * point (`square.py` returns `x` for those; robust accuracy is the same).
 *
 * @example
 * const xAdv = attackRegistry.get('square').run(model, x, y, { eps: 8 / 255, steps: 1000 });
 */
export const square = defineAttack<SquareOptions>(
  {
    name: 'square',
    description:
      'Square Attack, score-based L∞ random search on the margin (Andriushchenko et al. 2020)',
    defaults: { steps: 5000, pInit: 0.8, restarts: 1, rescaleSchedule: true },
    perturb(ctx) {
      const o = ctx.options;
      rejectOptions(ctx, 'square', {
        targeted: 'square is untargeted here',
        randomStart: 'square always starts from random stripes',
        init: 'square always starts from random stripes',
        stepSize: 'square sets pixels to x ± ε; the square size follows pInit',
        stepWeights: 'square has no gradient step to weight (use mask to restrict pixels)',
        loss: 'square minimises the margin loss',
      });
      if (!(Number.isFinite(o.pInit) && o.pInit > 0 && o.pInit <= 1)) {
        throw new InvalidOptionError(`square: pInit must lie in (0, 1], got ${o.pInit}`);
      }
      checkRestarts('square', o.restarts);
      const batch = ctx.x.shape[0];
      const { robust } = cleanRobustness(ctx);
      const bestMargin = new Float32Array(batch).fill(Number.POSITIVE_INFINITY);
      let result = tf.clone(ctx.x);
      for (let r = 0; r < o.restarts; r++) {
        const sub = robustSubBatch(ctx, robust);
        if (!sub) break;
        const { rows } = sub;
        const out = squareSingleRun({
          ctx,
          x: sub.x,
          labels: sub.labels,
          eps: sub.eps,
          mask: sub.mask,
        });
        const take = rows.map((s, j) => out.margin[j] <= 0 || out.margin[j] < bestMargin[s]);
        rows.forEach((s, j) => {
          if (out.margin[j] <= 0) robust[s] = false;
          if (take[j]) bestMargin[s] = out.margin[j];
        });
        const next = scatterRows(result, out.xBest, rows, take);
        sub.dispose();
        tf.dispose([result, out.xBest]);
        result = next;
      }
      return result;
    },
  },
  { replace: true },
);
