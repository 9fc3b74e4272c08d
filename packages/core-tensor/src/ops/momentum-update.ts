import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors/trustgrad-error';
import { assertSameShape } from '../shape/assert-shape';

/**
 * Name of the fused momentum-SGD kernel trustgrad registers for `wasm` (SIMD) and `cpu`.
 *
 * @example
 * const fused = tf.getKernel(MOMENTUM_UPDATE, tf.getBackend()) !== undefined;
 */
export const MOMENTUM_UPDATE = 'TrustgradMomentumUpdate';

/**
 * Attributes of the {@link MOMENTUM_UPDATE} kernel (inputs: `value`, `accumulation`,
 * `gradient`, the scalars `momentum` and `negativeLearningRate`).
 *
 * @example
 * tf.engine().runKernel(MOMENTUM_UPDATE, { value, accumulation, gradient, momentum, negativeLearningRate },
 *   { useNesterov: false } satisfies MomentumUpdateAttrs);
 */
export interface MomentumUpdateAttrs {
  /** Nesterov's update (`value' = (g + a'·μ)·(−lr) + value`) instead of heavy-ball's. */
  useNesterov: boolean;
}

/**
 * The new value and accumulation of one variable after {@link momentumUpdate}.
 *
 * @example
 * const { value, accumulation }: MomentumUpdateResult = momentumUpdate(w, a, g, 0.9, -0.01);
 */
export interface MomentumUpdateResult {
  value: tf.Tensor;
  accumulation: tf.Tensor;
}

/**
 * One momentum-SGD step for one variable, as tfjs 4.22's `MomentumOptimizer`
 * computes it (float32, every intermediate rounded as its kernels store it):
 *
 * `a' = μ·a + g`, then `value' = (−lr)·a' + value`, or with Nesterov
 * `value' = (−lr)·(g + a'·μ) + value`,
 *
 * with `μ` (`momentum`) and `−lr` (`negativeLearningRate`) scalars — the
 * optimiser's cached `m` and `c` tensors, or numbers (rounded to float32 as
 * `tf.scalar` would). On `wasm` and `cpu` it is one kernel
 * ({@link MOMENTUM_UPDATE}; on wasm one SIMD pass over the heap) in place of
 * tfjs's 4 (Nesterov 6), equal to them bit for bit; elsewhere, or for a
 * non-float32 tensor, the composition ({@link composedMomentumUpdate}). Not differentiable.
 *
 * @example
 * const w = tf.tensor1d([1, 2]);
 * const { value, accumulation } = momentumUpdate(w, tf.zerosLike(w), tf.tensor1d([0.5, -1]), 0.9, -0.1);
 * value.print(); // [0.95, 2.1]
 * accumulation.print(); // [0.5, -1]
 */
export function momentumUpdate(
  value: tf.Tensor,
  accumulation: tf.Tensor,
  gradient: tf.Tensor,
  momentum: tf.Scalar | number,
  negativeLearningRate: tf.Scalar | number,
  useNesterov = false,
): MomentumUpdateResult {
  assertSameShape(value, gradient, 'value', 'gradient');
  assertSameShape(value, accumulation, 'value', 'accumulation');
  for (const [name, s] of [
    ['momentum', momentum],
    ['negativeLearningRate', negativeLearningRate],
  ] as const) {
    if (typeof s !== 'number' && s.size !== 1) {
      throw new ShapeError(
        `momentumUpdate: ${name} must be a scalar, got shape [${s.shape.join(', ')}]`,
      );
    }
  }
  const scalars = [momentum, negativeLearningRate];
  const fused =
    tf.getKernel(MOMENTUM_UPDATE, tf.getBackend()) !== undefined &&
    [value, accumulation, gradient].every((t) => t.dtype === 'float32') &&
    scalars.every((s) => typeof s === 'number' || s.dtype === 'float32');
  if (!fused) {
    return composedMomentumUpdate(
      value,
      accumulation,
      gradient,
      momentum,
      negativeLearningRate,
      useNesterov,
    );
  }
  const made: tf.Tensor[] = [];
  const tensor = (s: tf.Scalar | number) => {
    if (typeof s !== 'number') return s;
    const t = tf.scalar(s, 'float32');
    made.push(t);
    return t;
  };
  const attrs: MomentumUpdateAttrs = { useNesterov };
  const [newValue, newAccumulation] = tf.engine().runKernel(
    MOMENTUM_UPDATE,
    {
      value,
      accumulation,
      gradient,
      momentum: tensor(momentum),
      negativeLearningRate: tensor(negativeLearningRate),
    },
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Tensor[];
  tf.dispose(made);
  return { value: newValue, accumulation: newAccumulation };
}

/**
 * tfjs 4.22's `MomentumOptimizer` update for one variable, op for op: the
 * reference {@link momentumUpdate}'s tests compare with, and its path on
 * backends without the fused kernel.
 *
 * @example
 * const w = tf.tensor1d([1, 2]);
 * const { value } = composedMomentumUpdate(w, tf.zerosLike(w), tf.tensor1d([0.5, -1]), 0.9, -0.1, true);
 * value.print(); // [0.905, 2.19]
 */
export function composedMomentumUpdate(
  value: tf.Tensor,
  accumulation: tf.Tensor,
  gradient: tf.Tensor,
  momentum: tf.Scalar | number,
  negativeLearningRate: tf.Scalar | number,
  useNesterov = false,
): MomentumUpdateResult {
  return tf.tidy(() => {
    const m = momentum;
    const c = negativeLearningRate;
    const newAccumulation = tf.add(tf.mul(m, accumulation), gradient);
    const newValue = useNesterov
      ? tf.add(tf.mul(c, tf.add(gradient, tf.mul(newAccumulation, m))), value)
      : tf.add(tf.mul(c, newAccumulation), value);
    return { value: newValue, accumulation: newAccumulation };
  });
}
