import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import type { AttackContext } from './attack';
import { gatherIfPerSample, gatherRows, indicesWhere, predictedClasses } from './sample-rows';

/**
 * The worst-of bookkeeping of the attacks that run again only on the samples
 * no earlier run has fooled (APGD's and Square's restarts, AutoAttack's
 * members; fra31/auto-attack attacks `x[ind_to_fool]` each time): which
 * samples start robust, and the sub-batch of those still robust.
 */

/** The batch's labels and, per sample, whether the model classifies its clean input as its label. */
export function cleanRobustness(ctx: AttackContext<unknown>): {
  labels: number[];
  robust: boolean[];
} {
  const labels = Array.from(ctx.labels.dataSync());
  const robust = Array.from(predictedClasses(ctx, ctx.x), (p, s) => p === labels[s]);
  return { labels, robust };
}

/** The rows of the samples still robust, with their inputs, labels, radii and mask. */
export interface RobustSubBatch {
  /** Their indices in the batch. */
  rows: number[];
  x: tf.Tensor4D;
  labels: tf.Tensor1D;
  /** `[rows, 1, 1, 1]` radii. */
  eps: tf.Tensor4D;
  /** The mask's rows when it is per sample, else the batch's shared mask (or `undefined`). */
  mask: tf.Tensor | undefined;
  /** Disposes what was gathered (not a shared mask). */
  dispose(): void;
}

/** The sub-batch of the samples `robust` marks; `undefined` when none is left. */
export function robustSubBatch(
  ctx: AttackContext<unknown>,
  robust: ArrayLike<boolean>,
): RobustSubBatch | undefined {
  const rows = indicesWhere(robust);
  if (rows.length === 0) return undefined;
  const x = gatherRows(ctx.x, rows);
  const labels = gatherRows(ctx.labels, rows);
  const eps = gatherRows(ctx.eps, rows);
  const mask = gatherIfPerSample(ctx.mask, ctx.x.shape[0], rows);
  return {
    rows,
    x,
    labels,
    eps,
    mask,
    dispose: () => {
      tf.dispose([x, labels, eps]);
      if (mask !== ctx.mask) mask?.dispose();
    },
  };
}

/** Checks `restarts`, the number of runs from fresh starts on the samples still robust: an integer ≥ 1. */
export function checkRestarts(name: string, restarts: number): void {
  if (!(Number.isInteger(restarts) && restarts >= 1)) {
    throw new InvalidOptionError(`${name}: restarts must be an integer ≥ 1, got ${restarts}`);
  }
}
