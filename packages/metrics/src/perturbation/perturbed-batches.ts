import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@trustgrad/core-tensor';
import { explainOwned } from '../metric/explain-owned';
import { forEachBatch } from '../metric/for-each-batch';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { logitsOf } from '../model/model-like';
import { type Perturbation, repeatSamples } from '../perturbation/perturbation';

/** One group of samples with their perturbed copies, handed to a per-row measure. */
export interface PerturbedGroup {
  /** Samples `[g, h, w, c]` and their explanations. */
  x: tf.Tensor4D;
  ex: tf.Tensor4D;
  /** Logits `[g, k]` and predicted classes `[g]` of `x`. */
  logits: tf.Tensor2D;
  predicted: tf.Tensor1D;
  /** `count` perturbed copies per sample, sample-major `[g·count, ...]`, with logits and explanations (target: predicted class of the original). */
  xp: tf.Tensor4D;
  logitsP: tf.Tensor2D;
  ep: tf.Tensor4D;
  /** Originals repeated to line up with the copies. */
  xRep: tf.Tensor4D;
  exRep: tf.Tensor4D;
  logitsRep: tf.Tensor2D;
}

/** Per-copy values and whether the copy kept the original's predicted class, each `[n·count]`. */
export interface PerturbedRows {
  /** The first (for a 1-D measure, the only) row of values: `rows[0]`. */
  values: Float32Array;
  /** Every row of values, one per row of the measure's `[m, g·count]` output (one for a 1-D measure). */
  rows: Float32Array[];
  sameClass: Uint8Array;
  count: number;
}

/**
 * Runs the shared perturbation protocol of the robustness metrics, batched:
 * groups of samples are perturbed `count` times each, every copy is passed
 * through the model and explained for the original's predicted class, and
 * `measure` turns a group into one value per copy (a `[g·count]` tensor) or
 * into m values per copy (an `[m, g·count]` tensor, so several measures share
 * one explanation of every copy); the tensor is disposed here. Every group
 * must give the same m. Explanations of the originals come from
 * `ctx.explanations` when given, else from `explain(x, predicted)`.
 */
export async function measurePerturbed(
  ctx: ResolvedMetricContext,
  count: number,
  perturb: Perturbation,
  measure: (group: PerturbedGroup) => tf.Tensor1D | tf.Tensor2D,
): Promise<PerturbedRows> {
  const x = ctx.x!;
  const model = ctx.model!;
  const explain = ctx.explain!;
  const n = x.shape[0];
  const groupSize = Math.max(1, Math.floor(ctx.batchSize / (count + 1)));
  let rows: Float32Array[] | undefined;
  const sameClass = new Uint8Array(n * count);
  await forEachBatch(n, groupSize, async (start, g, keep) => {
    const xs = keep(tf.slice(x, [start, 0, 0, 0], [g, -1, -1, -1]));
    const logits = keep(tf.tidy(() => logitsOf(model, xs)));
    const predicted = keep(tf.argMax(logits, 1) as tf.Tensor1D);
    const ex = ctx.explanations
      ? keep(tf.slice(ctx.explanations, [start, 0, 0, 0], [g, -1, -1, -1]))
      : keep(await explainOwned(explain, xs, predicted, 'explain(x)'));
    const xp = keep(perturb(xs, count, ctx.rng));
    const logitsP = keep(tf.tidy(() => logitsOf(model, xp)));
    const targetRep = keep(repeatSamples(predicted, count));
    const ep = keep(await explainOwned(explain, xp, targetRep, 'explain(perturbed x)'));
    const group: PerturbedGroup = {
      x: xs,
      ex,
      logits,
      predicted,
      xp,
      logitsP,
      ep,
      xRep: keep(repeatSamples(xs, count)),
      exRep: keep(repeatSamples(ex, count)),
      logitsRep: keep(repeatSamples(logits, count)),
    };
    const rowValues = keep(measure(group));
    const same = keep(tf.tidy(() => tf.cast(tf.equal(tf.argMax(logitsP, 1), targetRep), 'int32')));
    const m = rowValues.rank === 1 ? 1 : rowValues.shape[0];
    if (rowValues.rank > 2 || rowValues.size !== m * g * count || (rows && rows.length !== m)) {
      throw new ShapeError(
        `measurePerturbed: measure returned shape [${rowValues.shape.join(', ')}] for ${g * count} copies; ` +
          `expected [${g * count}] or [m, ${g * count}] with the same m for every group`,
      );
    }
    rows ??= Array.from({ length: m }, () => new Float32Array(n * count));
    const data = await rowValues.data();
    for (let r = 0; r < m; r++) {
      rows[r].set(data.subarray(r * g * count, (r + 1) * g * count), start * count);
    }
    sameClass.set(await same.data(), start * count);
  });
  const all = rows!; // n ≥ 1, so at least one group ran
  return { values: all[0], rows: all, sameClass, count };
}
