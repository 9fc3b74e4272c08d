import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';

/**
 * The scalar per sample that an attribution explains:
 * - `'logit'`: the target logit `z_t` (pre-softmax; the default),
 * - `'prob'`: the target probability `softmax(z)_t`,
 * - `'loss'`: the cross-entropy of the target class `−log softmax(z)_t`.
 */
export type OutputKind = 'logit' | 'prob' | 'loss';

/** The classes to explain: one for all samples, one per sample, or a `[b]` int tensor. */
export type TargetSpec = number | ArrayLike<number> | tf.Tensor1D;

export const OUTPUT_KINDS: readonly OutputKind[] = ['logit', 'prob', 'loss'];

/**
 * Selects the explained quantity from logits `[b, classes]` for targets `[b]`
 * (int32); returns `[b]`. Differentiable in `logits`.
 */
export function targetQuantity(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  output: OutputKind,
): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const mask = tf.cast(tf.oneHot(targets, classes), 'float32');
    switch (output) {
      case 'logit':
        return tf.sum(tf.mul(logits, mask), 1) as tf.Tensor1D;
      case 'prob':
        return tf.sum(tf.mul(tf.softmax(logits), mask), 1) as tf.Tensor1D;
      case 'loss':
        return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), mask), 1)) as tf.Tensor1D;
      default:
        throw new InvalidOptionError(
          `output "${String(output)}" is not supported; use one of ${OUTPUT_KINDS.join(', ')}`,
        );
    }
  });
}

/**
 * Resolves `target` to an int32 tensor `[b]`. `undefined` means the predicted
 * class `argmax(logits(x))` (computed in chunks of `batchSize`); a number applies
 * to every sample; an array or tensor gives one class per sample. Fails when a
 * class is outside `[0, classes)`.
 */
export function resolveTargets(
  target: TargetSpec | undefined,
  x: tf.Tensor,
  logits: (x: tf.Tensor) => tf.Tensor2D,
  batchSize: number,
): tf.Tensor1D {
  const batch = x.shape[0];
  if (target === undefined || target === null) {
    return tf.tidy(() => {
      const parts: tf.Tensor[] = [];
      for (let start = 0; start < batch; start += batchSize) {
        const size = Math.min(batchSize, batch - start);
        parts.push(tf.argMax(logits(tf.slice(x, start, size)), 1));
      }
      return tf.cast(tf.concat(parts), 'int32') as tf.Tensor1D;
    });
  }
  let values: number[];
  if (target instanceof tf.Tensor) {
    if (target.rank !== 1 || target.shape[0] !== batch) {
      throw new ShapeError(
        `target has shape [${target.shape.join(', ')}], expected [${batch}] (one class per sample)`,
      );
    }
    values = Array.from(target.dataSync());
  } else if (typeof target === 'number') {
    values = new Array<number>(batch).fill(target);
  } else {
    values = Array.from(target);
    if (values.length !== batch) {
      throw new ShapeError(
        `target has ${values.length} classes for a batch of ${batch}; give one class per sample or a single number`,
      );
    }
  }
  const classes = tf.tidy(() => logits(tf.slice(x, 0, 1)).shape[1]);
  for (const [i, v] of values.entries()) {
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new InvalidOptionError(
        `target[${i}] = ${v} is not a class of this model; expected an integer in [0, ${classes - 1}]`,
      );
    }
  }
  return tf.tensor1d(values, 'int32');
}
