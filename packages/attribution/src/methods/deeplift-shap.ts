import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineAttribution } from '../core/attribution-method';
import { withCompleteness } from '../core/completeness';
import { deepLiftMultipliers } from './deeplift';

/** Options of {@link deepLiftShap}. */
export interface DeepLiftShapOptions {
  /** The baseline distribution `[n_b, ...sample]` (e.g. training images); every one is used. Required. */
  baselines: tf.Tensor | undefined;
  /** `|Δz|` below which a nonlinearity falls back to its ordinary gradient. Default 1e-10. */
  eps: number;
}

/** Extras of {@link deepLiftShap}, each `[b]`. */
export interface DeepLiftShapInfo extends Record<string, tf.Tensor> {
  /** `f_t(x) − (1/n_b) Σ_i f_t(b_i)`, what the map sums to. */
  outputDifference: tf.Tensor1D;
  /** `Σ attr − outputDifference`: 0 up to rounding and the `eps` fallback. */
  completenessGap: tf.Tensor1D;
}

/**
 * DeepLIFT SHAP (Lundberg & Lee 2017), as Captum's `DeepLiftShap`: the
 * DeepLIFT Rescale map averaged over every baseline of a distribution,
 * `A = (1/n_b) Σ_i m(x, b_i) ⊙ (x − b_i)`; it sums to
 * `f_t(x) − mean_i f_t(b_i)` per sample. Requirements and layers as `deeplift`;
 * `n_b · b` pairs are evaluated `floor(batchSize / 2)` at a time. Shape like `x`.
 *
 * @example
 * const map = explain('deeplift-shap', model, x, { baselines: trainImages.slice(0, 16) });
 */
export const deepLiftShap = defineAttribution<DeepLiftShapOptions, DeepLiftShapInfo>(
  {
    name: 'deeplift-shap',
    description:
      'DeepLIFT SHAP: the DeepLIFT Rescale map averaged over a baseline distribution (Lundberg & Lee 2017, Captum)',
    defaults: { baselines: undefined, eps: 1e-10 },
    explain(ctx, x, options) {
      const pool = options.baselines;
      const sampleShape = x.shape.slice(1);
      if (
        !(pool instanceof tf.Tensor) ||
        pool.rank !== x.rank ||
        pool.shape[0] < 1 ||
        pool.shape.slice(1).some((d, i) => d !== sampleShape[i])
      ) {
        throw new InvalidOptionError(
          `deeplift-shap needs baselines, a distribution tensor [n, ${sampleShape.join(', ')}] with n ≥ 1` +
            (pool instanceof tf.Tensor ? `; got [${pool.shape.join(', ')}]` : ''),
        );
      }
      const b = x.shape[0];
      const nb = pool.shape[0];
      // Block i pairs every input with baseline i (block-major, as ctx expects).
      const xs = tf.tile(x, [nb, ...sampleShape.map(() => 1)]);
      const bs = tf.reshape(tf.tile(tf.expandDims(pool, 1), [1, b, ...sampleShape.map(() => 1)]), [
        nb * b,
        ...sampleShape,
      ]);
      const targets = tf.tile(ctx.targets, [nb]) as tf.Tensor1D;
      const m = deepLiftMultipliers(ctx, xs, bs, targets, options.eps, 'deeplift-shap');
      const attributions = tf.mean(
        tf.reshape(tf.mul(m, tf.sub(xs, bs)), [nb, b, ...sampleShape]),
        0,
      );
      const baselineScores = tf.reshape(ctx.quantity(bs, targets), [nb, b]);
      return withCompleteness(
        attributions,
        tf.sub(ctx.quantity(x), tf.mean(baselineScores, 0)) as tf.Tensor1D,
      );
    },
  },
  { replace: true },
);
