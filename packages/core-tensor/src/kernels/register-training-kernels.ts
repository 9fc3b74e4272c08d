import * as tf from '@tensorflow/tfjs-core';
import { adamUpdateCpuConfig } from './cpu/adam-update';
import { pgdLinfStepCpuConfig } from './cpu/pgd-linf-step';
import { meanGradConfig, sumGradConfig } from './reduction-gradients';
import { wasmTrainingKernels } from './wasm';

let registered = false;

/**
 * Registers trustgrad's training kernels for the embedded `wasm` backend
 * (gradients tfjs ships without, or too slowly) and its fused ops' kernels
 * for `cpu` (the PGD-L∞ step, the Adam update). Idempotent; importing
 * `@trustgrad/core-tensor` calls it, so users never need to.
 */
export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [...wasmTrainingKernels, pgdLinfStepCpuConfig, adamUpdateCpuConfig]) {
    if (tf.getKernel(config.kernelName, config.backendName)) {
      tf.unregisterKernel(config.kernelName, config.backendName);
    }
    tf.registerKernel(config);
  }
  for (const config of [sumGradConfig, meanGradConfig]) tf.registerGradient(config);
}
