import * as tf from '@tensorflow/tfjs-core';
import { assertSameShape } from '../shape/assert-shape';

/**
 * Name of the fused moving-average kernel trustgrad registers for `wasm` and `cpu`.
 *
 * @example
 * const fused = tf.getKernel(MOVING_AVERAGE_UPDATE, tf.getBackend()) !== undefined;
 */
export const MOVING_AVERAGE_UPDATE = 'TrustgradMovingAverageUpdate';

/**
 * Attributes of the {@link MOVING_AVERAGE_UPDATE} kernel; its inputs are a list,
 * average 0, value 0, average 1, value 1, …, its outputs the new averages.
 *
 * @example
 * tf.engine().runKernel(MOVING_AVERAGE_UPDATE, [mean, batchMean] as unknown as tf.NamedTensorMap,
 *   { oneMinusMomentum: 1 - 0.99 } satisfies MovingAverageUpdateAttrs);
 */
export interface MovingAverageUpdateAttrs {
  /** `1 − momentum`, as a JavaScript number (the kernel rounds it to float32, as `tf.mul` does). */
  oneMinusMomentum: number;
}

/**
 * One moving statistic and the batch value it moves towards.
 *
 * @example
 * const pair: MovingAveragePair = [movingMean, batchMean];
 */
export type MovingAveragePair = readonly [average: tf.Tensor, value: tf.Tensor];

/**
 * tfjs-layers' moving-average update, `average − (average − value)·(1 − momentum)`,
 * for several statistics at once (a BatchNorm layer's moving mean and
 * variance): one kernel call ({@link MOVING_AVERAGE_UPDATE}) for all pairs on
 * `wasm` and `cpu`, where the composition makes 3 per pair; each result rounded
 * to float32 after every op as `tf.sub`, `tf.mul`, `tf.sub` store them, so
 * equal to the composition bit for bit. Elsewhere, or for a non-float32
 * tensor, the composition ({@link composedMovingAverageUpdate}). Returns the
 * new averages in the order of `pairs` (new tensors; the caller assigns
 * them). Not differentiable.
 *
 * @example
 * const [mean] = movingAverageUpdate([[tf.tensor1d([0, 1]), tf.tensor1d([1, 1])]], 0.9);
 * mean.print(); // [0.1, 1]
 */
export function movingAverageUpdate(
  pairs: readonly MovingAveragePair[],
  momentum: number,
): tf.Tensor[] {
  pairs.forEach(([average, value], i) =>
    assertSameShape(average, value, `average ${i}`, `value ${i}`),
  );
  if (pairs.length === 0) return [];
  const fused =
    tf.getKernel(MOVING_AVERAGE_UPDATE, tf.getBackend()) !== undefined &&
    pairs.every(([a, v]) => a.dtype === 'float32' && v.dtype === 'float32');
  if (!fused) return composedMovingAverageUpdate(pairs, momentum);
  const attrs: MovingAverageUpdateAttrs = { oneMinusMomentum: 1 - momentum };
  // Inputs as a list (as tfjs's Concat passes them): average 0, value 0, average 1, …
  const inputs: tf.Tensor[] = pairs.flat();
  return tf
    .engine()
    .runKernel(
      MOVING_AVERAGE_UPDATE,
      inputs as unknown as tf.NamedTensorMap,
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
}

/**
 * tfjs-layers' moving-average update op for op (`tf.sub(a, tf.mul(tf.sub(a, v), 1 − momentum))`
 * per pair): the reference of {@link movingAverageUpdate}'s tests and its path
 * on backends without the fused kernel.
 *
 * @example
 * const [mean] = composedMovingAverageUpdate([[tf.tensor1d([0, 1]), tf.tensor1d([1, 1])]], 0.9);
 * mean.print(); // [0.1, 1]
 */
export function composedMovingAverageUpdate(
  pairs: readonly MovingAveragePair[],
  momentum: number,
): tf.Tensor[] {
  return tf.tidy(() =>
    pairs.map(([average, value]) => tf.sub(average, tf.mul(tf.sub(average, value), 1 - momentum))),
  );
}
