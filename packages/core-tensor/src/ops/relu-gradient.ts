import type { GradConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Relu } from '@tensorflow/tfjs-core';

/** Name of the fused ReLU-gradient kernel trustgrad registers for `wasm` (SIMD) and `cpu`. */
export const RELU_GRADIENT = 'TrustgradReluGradient';

/**
 * The gradient of `relu(x)` given the upstream `dy`: `dy · step(x)`, with
 * `step(x)` 1 for `x > 0`, NaN for a NaN `x`, 0 otherwise (the cpu backend's
 * `Step`), so `dy` where `x > 0`, `dy · 0` (±0, or NaN for an infinite or NaN
 * `dy`) elsewhere, and NaN where `x` is NaN. tfjs computes it as
 * `mul(dy, cast(step(x), 'float32'))`: three kernels and two full-size
 * tensors; trustgrad's `TrustgradReluGradient` is one pass with the same
 * values (tests, edge values included). Backends without the kernel run
 * tfjs's composition. (tfjs-backend-wasm's own `Step` maps NaN to 0, so on
 * wasm a NaN input used to give a zero gradient where cpu gives NaN; the
 * kernel gives cpu's.)
 */
export function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const fused =
    dy.dtype === 'float32' &&
    x.dtype === 'float32' &&
    dy.shape.length === x.shape.length &&
    dy.shape.every((size, axis) => size === x.shape[axis]) &&
    tf.getKernel(RELU_GRADIENT, tf.getBackend()) !== undefined;
  if (!fused) return tf.tidy(() => tf.mul(dy, tf.cast(tf.step(x), 'float32')));
  return tf.engine().runKernel(RELU_GRADIENT, { dy, x }) as tf.Tensor;
}

/** `Relu`'s gradient by {@link reluGradient} (registered by `registerTrainingKernels`). */
export const reluGradConfig: GradConfig = {
  kernelName: Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => reluGradient(dy as tf.Tensor, x) };
  },
};
