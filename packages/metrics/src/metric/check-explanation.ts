import * as tf from '@tensorflow/tfjs-core';
import { assertRank, ShapeError } from '@trustgrad/core-tensor';
import { EmptyBatchError, NonFiniteExplanationError } from './metric-errors';

/**
 * Checks an explanation batch: rank 4, non-empty, `x`'s shape when `x` is
 * given, and no NaN or ±Infinity (one scalar read back from the backend).
 */
export function checkExplanation(e: tf.Tensor, x: tf.Tensor | undefined, label: string): void {
  assertRank(e, 4, label, 'expected an attribution of the input shape [n, h, w, c]');
  if (e.shape[0] === 0) {
    throw new EmptyBatchError(
      `${label} is an empty batch (shape [${e.shape.join(', ')}]); pass at least one sample`,
    );
  }
  if (x && e.shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(
      `${label} has shape [${e.shape.join(', ')}] but the inputs have shape [${x.shape.join(', ')}]; ` +
        "an attribution must have its input's shape (upsample Grad-CAM maps and keep the channel axis)",
    );
  }
  const nonFinite = tf.tidy(
    () => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(e)), 'int32')).dataSync()[0],
  );
  if (nonFinite > 0) {
    throw new NonFiniteExplanationError(
      `${label} holds ${nonFinite} NaN or infinite value(s) out of ${e.size}; explanations must be finite ` +
        '(check the explainer: a division by a zero norm or an overflowing model gives this)',
    );
  }
}
