import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';

/** Options of {@link groupSparsity}. */
export interface GroupSparsityOptions {
  /** Side k of the non-overlapping k×k patches (all channels in one patch). Default 4. */
  patchSize: number;
  /** Fraction of patches counted as "top": the ⌈q·patches⌉ most energetic. Default 0.1. */
  topFraction: number;
}

/**
 * Energy share of the top patches per sample, `[batch]`: patch energy
 * `E_g = Σ_{(i,j)∈g, c} a²`, sorted descending, share = `Σ_{top ⌈q·G⌉} E_g / Σ_g E_g`.
 * Images whose sides are not multiples of k get zero-padded at the bottom/right
 * (edge patches are smaller). All-zero attribution → `⌈q·G⌉/G`, the share of a
 * uniform map over equal patches (nothing is concentrated).
 *
 * @param attributions `[batch, h, w, c]`.
 */
export function topPatchEnergyShare(
  attributions: tf.Tensor4D,
  patchSize: number,
  topFraction: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch, h, w] = attributions.shape;
    const ph = Math.ceil(h / patchSize);
    const pw = Math.ceil(w / patchSize);
    const energy = tf.sum(tf.square(attributions), 3);
    const padded = tf.pad(energy, [
      [0, 0],
      [0, ph * patchSize - h],
      [0, pw * patchSize - w],
    ]);
    const patches = tf.sum(tf.reshape(padded, [batch, ph, patchSize, pw, patchSize]), [2, 4]);
    const flat = tf.reshape(patches, [batch, ph * pw]);
    const groups = ph * pw;
    const top = Math.min(groups, Math.max(1, Math.ceil(topFraction * groups)));
    const topSum = tf.sum(tf.topk(flat, top, true).values, 1);
    const total = tf.sum(flat, 1);
    const share = tf.div(topSum, tf.where(tf.greater(total, 0), total, tf.onesLike(total)));
    return tf.where(tf.greater(total, 0), share, tf.fill([batch], top / groups)) as tf.Tensor1D;
  });
}

/**
 * Group sparsity (NRAT's structure target): the share of attribution energy in
 * the top k×k patches, see {@link topPatchEnergyShare}. Higher = more
 * concentrated in few connected blobs.
 */
export const groupSparsity = defineMetric<GroupSparsityOptions>(
  {
    name: 'groupSparsity',
    description:
      'share of attribution energy (Σ a²) in the top ⌈q·G⌉ of G non-overlapping k×k patches',
    higherIsBetter: true,
    requires: ['explanations'],
    defaults: { patchSize: 4, topFraction: 0.1 },
    async compute(ctx, { patchSize, topFraction }) {
      if (!Number.isInteger(patchSize) || patchSize < 1) {
        throw new InvalidOptionError(`patchSize must be a positive integer, got ${patchSize}`);
      }
      if (!(topFraction > 0 && topFraction <= 1)) {
        throw new InvalidOptionError(`topFraction must be in (0, 1], got ${topFraction}`);
      }
      const share = topPatchEnergyShare(ctx.explanations!, patchSize, topFraction);
      try {
        return { values: await share.data() };
      } finally {
        share.dispose();
      }
    },
  },
  { replace: true },
);
