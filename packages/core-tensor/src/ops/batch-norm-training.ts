import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '../errors/trustgrad-error';

/** Name of the fused training-mode BatchNorm kernel trustgrad registers for `wasm` (SIMD) and `cpu`. */
export const BATCH_NORM_TRAINING = 'TrustgradBatchNormTraining';

/** Name of its backward kernel (`dx`, `dScale`, `dOffset` in one reduction and one elementwise pass). */
export const BATCH_NORM_TRAINING_GRAD = 'TrustgradBatchNormTrainingGrad';

/** Options of {@link batchNormTraining}. */
export interface BatchNormTrainingOptions {
  /** γ `[C]`; absent or null: 1. */
  scale?: tf.Tensor | null;
  /** β `[C]`; absent or null: 0. */
  offset?: tf.Tensor | null;
  /** ε added to the variance. Default 1e-3 (tfjs-layers' default). */
  epsilon?: number;
}

/** What {@link batchNormTraining} returns. */
export interface BatchNormTrainingResult {
  /** The normalized input, `x`'s shape. */
  y: tf.Tensor;
  /** The batch mean per channel `[C]`. */
  mean: tf.Tensor1D;
  /** The biased batch variance per channel `[C]` (divided by M, as tfjs's `moments`). */
  variance: tf.Tensor1D;
}

/**
 * Training-mode batch normalization over every axis but the last (Ioffe &
 * Szegedy 2015), with the batch statistics:
 *
 * `μ = mean(x)`, `σ² = mean((x − μ)²)` per channel over the `M = size / C`
 * samples, `y = (x − μ)·γ/√(σ² + ε) + β`.
 *
 * The same function as tfjs-layers' `normalizeBatchInTraining` (`tf.moments`
 * then `tf.batchNorm`), and differentiable with respect to `x`, `scale` and
 * `offset` like it, through the statistics too (and through `mean` and
 * `variance` where a caller uses them). Where the backend has the fused
 * kernels ({@link hasFastBatchNormTraining}: trustgrad's `wasm` and `cpu`),
 * the forward is one statistics pass (float64 sums shifted by each channel's
 * first sample, so the one-pass variance does not cancel) and one normalize
 * pass, the backward one reduction pass (`Σdy`, `Σdy·(x − μ)`) and one pass
 * for `dx`, where autodiff of the composition makes some 15 full-size passes.
 * Elsewhere it runs that composition ({@link composedBatchNormTraining}).
 * Not differentiable twice on the fused path.
 *
 * @param x `[..., C]` float32, rank 2 to 4 (tfjs's `batchNorm` ranks)
 * @example
 * const { y, mean, variance } = batchNormTraining(x, { scale: gamma, offset: beta, epsilon: 1e-3 });
 */
export function batchNormTraining(
  x: tf.Tensor,
  options: BatchNormTrainingOptions = {},
): BatchNormTrainingResult {
  const epsilon = options.epsilon ?? 1e-3;
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw new InvalidOptionError(
      `batchNormTraining: epsilon must be a finite number ≥ 0 (tfjs-layers uses 1e-3), got ${epsilon}`,
    );
  }
  if (x.rank < 2 || x.rank > 4 || x.dtype !== 'float32' || x.size === 0) {
    throw new ShapeError(
      `batchNormTraining: x must be a non-empty float32 tensor of rank 2 to 4 with channels last; got ${x.dtype} [${x.shape.join(', ')}]`,
    );
  }
  const channels = x.shape[x.rank - 1];
  for (const [name, t] of [
    ['scale', options.scale],
    ['offset', options.offset],
  ] as const) {
    if (t != null && (t.rank !== 1 || t.shape[0] !== channels)) {
      throw new ShapeError(
        `batchNormTraining: ${name} must have shape [${channels}] (one per channel of x), got [${t.shape.join(', ')}]`,
      );
    }
  }
  if (!hasFastBatchNormTraining())
    return composedBatchNormTraining(x, options.scale, options.offset, epsilon);
  return tf.tidy(() => {
    // The kernels always get both parameters: the gradient's saved inputs must be tensors.
    const scale = options.scale ?? tf.ones([channels]);
    const offset = options.offset ?? tf.zeros([channels]);
    const [y, mean, variance] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAINING, { x, scale, offset }, { epsilon }) as tf.Tensor[];
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/** Whether the active backend runs {@link batchNormTraining} as trustgrad's fused kernels. */
export function hasFastBatchNormTraining(): boolean {
  return tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) !== undefined;
}

/**
 * The composition {@link batchNormTraining} fuses, as tfjs-layers'
 * `normalizeBatchInTraining` runs it: `tf.moments` over every axis but the
 * last, then `tf.batchNorm`. The reference its tests compare with, and the
 * path on backends without the fused kernels.
 */
export function composedBatchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor | null | undefined,
  offset: tf.Tensor | null | undefined,
  epsilon: number,
): BatchNormTrainingResult {
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    const y = tf.batchNorm(x, mean, variance, offset ?? undefined, scale ?? undefined, epsilon);
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/**
 * The gradient of {@link BATCH_NORM_TRAINING}: one call of
 * {@link BATCH_NORM_TRAINING_GRAD} for all three inputs (the tape asks for
 * each in turn; a shared call made here lives in the backward pass's scope
 * until it ends, as every gradient does). Zeros stand in for the gradients
 * of unused `mean`/`variance` outputs (the engine's rule for multi-output kernels).
 */
export const batchNormTrainingGradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [dy, dMean, dVariance] = dys as tf.Tensor[];
    const [x, scale, mean, variance] = saved;
    const [dx, dScale, dOffset] = tf
      .engine()
      .runKernel(
        BATCH_NORM_TRAINING_GRAD,
        { dy, x, scale, mean, variance, dMean, dVariance },
        attrs,
      ) as tf.Tensor[];
    return { x: () => dx, scale: () => dScale, offset: () => dOffset };
  },
};
