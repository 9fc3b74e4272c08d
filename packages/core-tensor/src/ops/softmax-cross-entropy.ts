import type { GradConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors/trustgrad-error';

/** Name of the fused per-sample softmax cross-entropy kernel trustgrad registers for `wasm` and `cpu`. */
export const SOFTMAX_CROSS_ENTROPY = 'TrustgradSoftmaxCrossEntropy';
/** Name of its gradient kernel (`∂CE/∂logits` given the upstream `dy`). */
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'TrustgradSoftmaxCrossEntropyGrad';

/**
 * Per-sample softmax cross-entropy of `logits` `[batch, classes]` against
 * integer `labels` `[batch]`, `CE_i = −log softmax(z_i)[y_i]`, as the
 * composition `−Σ_j oneHot(y)_ij · logSoftmax(z)_ij` computes it: tfjs's
 * `logSoftmax` (`z − max`, then `− log Σ exp`), `oneHot`, `mul`, `sum`, `neg`,
 * and the gradient tfjs's autodiff takes through them (logSoftmax's own
 * `dy − Σdy · exp(value)`). On `wasm` and `cpu` it is one kernel forward and
 * one backward ({@link SOFTMAX_CROSS_ENTROPY}, {@link SOFTMAX_CROSS_ENTROPY_GRAD})
 * in place of some 20 calls, equal to the cpu backend's composition bit for bit,
 * every edge included (a label outside `[0, classes)` gets tfjs `oneHot`'s zero
 * row, so a loss of −0; a `−∞` logit makes `0 · −∞ = NaN` there as in the
 * composition). Elsewhere, or for non-float32 logits, it runs the composition
 * ({@link composedSoftmaxCrossEntropy}). Labels other than int32 are cast as
 * the composition casts them. Differentiable with respect to `logits`.
 *
 * @example
 * const logits = tf.tensor2d([[2, 0, -1], [0.5, 0.5, 3]]);
 * const labels = tf.tensor1d([0, 2], 'int32');
 * softmaxCrossEntropy(logits, labels).print(); // ≈ [0.1698, 0.1520]
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new ShapeError(
      `softmaxCrossEntropy: logits must be [batch, classes] and labels [batch], got [${logits.shape.join(', ')}] and [${labels.shape.join(', ')}]`,
    );
  }
  if (logits.shape[1] < 2) {
    // tfjs's oneHot, which the composition uses, takes a depth of at least 2.
    throw new ShapeError(
      `softmaxCrossEntropy: logits need at least 2 classes, got [${logits.shape.join(', ')}]`,
    );
  }
  const fused =
    logits.dtype === 'float32' &&
    tf.getKernel(SOFTMAX_CROSS_ENTROPY, tf.getBackend()) !== undefined;
  if (!fused) return composedSoftmaxCrossEntropy(logits, labels);
  return tf.tidy(() => {
    const y = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    return tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels: y }) as tf.Tensor1D;
  });
}

/**
 * The composition {@link softmaxCrossEntropy} stands for, op for op: the
 * reference its tests compare with, and its path on other backends.
 */
export function composedSoftmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(oneHot, logProbs), 1)) as tf.Tensor1D;
  });
}

/** The gradient of {@link SOFTMAX_CROSS_ENTROPY} (registered by `registerTrainingKernels`). */
export const softmaxCrossEntropyGradConfig: GradConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  inputsToSave: ['logits', 'labels'],
  gradFunc: (dy, saved) => {
    const [logits, labels] = saved;
    return {
      logits: () =>
        tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, {
          dy: dy as tf.Tensor,
          logits,
          labels,
        }) as tf.Tensor,
      labels: () => tf.zerosLike(labels),
    };
  },
};
