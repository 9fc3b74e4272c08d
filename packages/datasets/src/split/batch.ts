import type * as tf from '@tensorflow/tfjs-core';

/**
 * One batch of examples. The tensors are new for every batch and belong to the
 * consumer: call {@link disposeBatch} (or dispose `x`, `y`, `mask`) when done.
 */
export interface Batch {
  /** Images `[batch, height, width, channels]`, float32, in [0, 1] unless normalised. */
  readonly x: tf.Tensor4D;
  /** Class labels `[batch]`, int32. */
  readonly y: tf.Tensor1D;
  /** Ground-truth region `[batch, height, width, 1]`, float32 0/1; only for datasets with masks. */
  readonly mask?: tf.Tensor4D;
  /** Positions of the examples within the split they came from. */
  readonly indices: Int32Array;
  /** The same labels as `y`, on the JavaScript side. */
  readonly labels: Int32Array;
}
