import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-sample KL divergence between the softmax distributions of two logit
 * batches: `KL(p ‖ q)_i = Σ_c p_ic (log p_ic − log q_ic)`, `p = softmax(pLogits)`,
 * `q = softmax(qLogits)`. Computed from log-softmax for stability.
 *
 * @param pLogits `[batch, classes]` logits of the reference distribution p.
 * @param qLogits `[batch, classes]` logits of the approximating distribution q.
 * @returns `[batch]` divergences (nats, ≥ 0).
 */
export function klDivergencePerSample(pLogits: tf.Tensor2D, qLogits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(pLogits);
    const logQ = tf.logSoftmax(qLogits);
    return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1) as tf.Tensor1D;
  });
}
