import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors/trustgrad-error';
import { assertSameShape } from '../shape/assert-shape';

/** Name of the fused Adam kernel trustgrad registers for `wasm` (SIMD) and `cpu`. */
export const ADAM_UPDATE = 'TrustgradAdamUpdate';

/** The hyper-parameters of one {@link adamUpdate}, as tfjs's `AdamOptimizer` holds them. */
export interface AdamHyperParameters {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Attributes of the {@link ADAM_UPDATE} kernel: the scalars tfjs's Adam multiplies by. */
export interface AdamUpdateAttrs {
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  epsilon: number;
  negativeLearningRate: number;
}

/** The new value and moments of one variable after {@link adamUpdate}. */
export interface AdamUpdateResult {
  value: tf.Tensor;
  firstMoment: tf.Tensor;
  secondMoment: tf.Tensor;
}

/**
 * One Adam step for one variable, as tfjs's `AdamOptimizer.applyGradients`
 * computes it (float32, every intermediate rounded as its kernels store it):
 *
 * `m' = m·β₁ + g·(1−β₁)`, `v' = v·β₂ + g²·(1−β₂)`,
 * `value' = ((m'/c₁) / (√(v'/c₂) + ε))·(−lr) + value`
 *
 * with `c₁ = 1 − β₁ᵗ`, `c₂ = 1 − β₂ᵗ` the bias corrections (scalar tensors:
 * the optimiser's running products). On `wasm` and `cpu` it is one kernel
 * ({@link ADAM_UPDATE}; on wasm one SIMD pass over the heap) in place of
 * tfjs's 13, equal to them bit for bit; elsewhere, or for a non-float32
 * variable, the composition ({@link composedAdamUpdate}). Not differentiable.
 *
 * @example
 * const { value, firstMoment, secondMoment } = adamUpdate(w, m, v, g, c1, c2,
 *   { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
 */
export function adamUpdate(
  value: tf.Tensor,
  firstMoment: tf.Tensor,
  secondMoment: tf.Tensor,
  gradient: tf.Tensor,
  biasCorrection1: tf.Scalar,
  biasCorrection2: tf.Scalar,
  hyper: AdamHyperParameters,
): AdamUpdateResult {
  assertSameShape(value, gradient, 'value', 'gradient');
  assertSameShape(value, firstMoment, 'value', 'firstMoment');
  assertSameShape(value, secondMoment, 'value', 'secondMoment');
  for (const [name, c] of [
    ['biasCorrection1', biasCorrection1],
    ['biasCorrection2', biasCorrection2],
  ] as const) {
    if (c.size !== 1) {
      throw new ShapeError(
        `adamUpdate: ${name} must be a scalar (1 − βᵗ), got shape [${c.shape.join(', ')}]`,
      );
    }
  }
  const fused =
    tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined &&
    [value, firstMoment, secondMoment, gradient, biasCorrection1, biasCorrection2].every(
      (t) => t.dtype === 'float32',
    );
  if (!fused) {
    return composedAdamUpdate(
      value,
      firstMoment,
      secondMoment,
      gradient,
      biasCorrection1,
      biasCorrection2,
      hyper,
    );
  }
  const attrs: AdamUpdateAttrs = {
    beta1: hyper.beta1,
    oneMinusBeta1: 1 - hyper.beta1,
    beta2: hyper.beta2,
    oneMinusBeta2: 1 - hyper.beta2,
    epsilon: hyper.epsilon,
    negativeLearningRate: -hyper.learningRate,
  };
  const [newValue, m, v] = tf
    .engine()
    .runKernel(
      ADAM_UPDATE,
      { value, firstMoment, secondMoment, gradient, biasCorrection1, biasCorrection2 },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
  return { value: newValue, firstMoment: m, secondMoment: v };
}

/**
 * tfjs 4.22's `AdamOptimizer` update for one variable, op for op: the
 * reference {@link adamUpdate}'s tests compare with, and its path on
 * backends without the fused kernel.
 */
export function composedAdamUpdate(
  value: tf.Tensor,
  firstMoment: tf.Tensor,
  secondMoment: tf.Tensor,
  gradient: tf.Tensor,
  biasCorrection1: tf.Scalar,
  biasCorrection2: tf.Scalar,
  hyper: AdamHyperParameters,
): AdamUpdateResult {
  return tf.tidy(() => {
    const { beta1, beta2, epsilon, learningRate } = hyper;
    const m = tf.add(tf.mul(firstMoment, beta1), tf.mul(gradient, 1 - beta1));
    const v = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(gradient), 1 - beta2));
    const mHat = tf.div(m, biasCorrection1);
    const vHat = tf.div(v, biasCorrection2);
    const newValue = tf.add(
      tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), -learningRate),
      value,
    );
    return { value: newValue, firstMoment: m, secondMoment: v };
  });
}
