import * as tf from '@tensorflow/tfjs-core';
import { TrustgradError } from '../errors/trustgrad-error';

/** Thrown by {@link assertNoLeaks} when a call left tensors behind. */
export class TensorLeakError extends TrustgradError {
  override name = 'TensorLeakError';
}

/**
 * Runs `fn`, disposes the tensors it returns (if any) and reports how many
 * tensors it left alive. Use it in tests: a correct function leaks 0.
 */
export async function countLeakedTensors(fn: () => unknown | Promise<unknown>): Promise<number> {
  const before = tf.memory().numTensors;
  const result = await fn();
  disposeDeep(result);
  return tf.memory().numTensors - before;
}

/** Like {@link countLeakedTensors} but throws a {@link TensorLeakError} naming the count. */
export async function assertNoLeaks(
  fn: () => unknown | Promise<unknown>,
  label = 'call',
): Promise<void> {
  const leaked = await countLeakedTensors(fn);
  if (leaked !== 0) {
    throw new TensorLeakError(
      `${label} left ${leaked} tensor(s) alive; wrap intermediates in tf.tidy or dispose them`,
    );
  }
}

function disposeDeep(value: unknown): void {
  if (value instanceof tf.Tensor) {
    value.dispose();
  } else if (Array.isArray(value)) {
    value.forEach(disposeDeep);
  } else if (value && typeof value === 'object' && value.constructor === Object) {
    Object.values(value).forEach(disposeDeep);
  }
}
