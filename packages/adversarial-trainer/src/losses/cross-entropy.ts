import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from '@trustgrad/core-tensor';

/**
 * Per-sample softmax cross-entropy of logits against integer labels:
 * `CE_i = −log softmax(z_i)[y_i] = logsumexp(z_i) − z_i[y_i]`, as
 * `−Σ_j oneHot(y)_ij · logSoftmax(z)_ij`: core-tensor's
 * {@link softmaxCrossEntropy}, one fused kernel forward and one backward on
 * wasm and cpu (the composition's values bit for bit), the composition elsewhere.
 *
 * @param logits `[batch, classes]` pre-softmax scores.
 * @param labels `[batch]` int32 class indices.
 * @returns `[batch]` losses (nats).
 */
export function crossEntropyPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return softmaxCrossEntropy(logits, labels);
}

/** Mean softmax cross-entropy over the batch (a scalar); see {@link crossEntropyPerSample}. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerSample(logits, labels)) as tf.Scalar);
}
