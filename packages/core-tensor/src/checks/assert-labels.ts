import type * as tf from '@tensorflow/tfjs-core';
import { LabelRangeError } from '../errors/trustgrad-error';

/**
 * Fails with {@link LabelRangeError} when a label of `y` (`[batch]` class
 * indices) is not an integer in `0..numClasses-1`. A label out of range makes
 * `oneHot` a zero row, so accuracies read 0 and cross-entropy trains towards
 * nothing, silently. One small read of `y` (labels are `[batch]`, cheap).
 *
 * @example assertLabelsInRange(y, 10, 'train(): y'); // LabelRangeError: train(): y has label 10 at index 3; ...
 */
export function assertLabelsInRange(y: tf.Tensor, numClasses: number, name = 'labels'): void {
  const values = y.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v < numClasses)) {
      throw new LabelRangeError(
        `${name} has label ${v} at index ${i}; the model has ${numClasses} classes, so labels must be ` +
          `integers in 0..${numClasses - 1} (check the dataset's classes, remapLabels, or the model's numClasses)`,
      );
    }
  }
}
