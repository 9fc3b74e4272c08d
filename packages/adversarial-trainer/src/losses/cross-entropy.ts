import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-sample softmax cross-entropy of logits against integer labels:
 * `CE_i = −log softmax(z_i)[y_i] = logsumexp(z_i) − z_i[y_i]`.
 *
 * @param logits `[batch, classes]` pre-softmax scores.
 * @param labels `[batch]` int32 class indices.
 * @returns `[batch]` losses (nats).
 */
export function crossEntropyPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(oneHot, logProbs), 1)) as tf.Tensor1D;
  });
}

/** Mean softmax cross-entropy over the batch (a scalar); see {@link crossEntropyPerSample}. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerSample(logits, labels)) as tf.Scalar);
}
