import * as tf from '@tensorflow/tfjs-core';
import { batchNormTrainingGradConfig } from '../ops/batch-norm-training';
import { reluGradConfig } from '../ops/relu-gradient';
import { softmaxCrossEntropyGradConfig } from '../ops/softmax-cross-entropy';
import { adamUpdateCpuConfig } from './cpu/adam-update';
import { batchNormTrainingCpuConfig } from './cpu/batch-norm-training';
import { batchNormTrainingGradCpuConfig } from './cpu/batch-norm-training-grad';
import { momentumUpdateCpuConfig } from './cpu/momentum-update';
import { movingAverageUpdateCpuConfig } from './cpu/moving-average-update';
import { pgdLinfStepCpuConfig } from './cpu/pgd-linf-step';
import { reluGradientCpuConfig } from './cpu/relu-gradient';
import {
  softmaxCrossEntropyCpuConfig,
  softmaxCrossEntropyGradCpuConfig,
} from './cpu/softmax-cross-entropy';
import { meanGradConfig, sumGradConfig } from './reduction-gradients';
import { wasmTrainingKernels } from './wasm';

let registered = false;

/** Kernels of trustgrad's fused ops for `cpu`; wasm's are in `wasmTrainingKernels`. */
const cpuKernels = [
  pgdLinfStepCpuConfig,
  adamUpdateCpuConfig,
  momentumUpdateCpuConfig,
  movingAverageUpdateCpuConfig,
  batchNormTrainingCpuConfig,
  batchNormTrainingGradCpuConfig,
  reluGradientCpuConfig,
  softmaxCrossEntropyCpuConfig,
  softmaxCrossEntropyGradCpuConfig,
];

/**
 * Registers trustgrad's training kernels for the embedded `wasm` backend
 * (gradients tfjs ships without, or too slowly), its fused ops' kernels for
 * `cpu` (the PGD-L∞ step, the Adam and momentum updates, BatchNorm's
 * moving averages, training-mode BatchNorm, ReLU's gradient, the per-sample softmax
 * cross-entropy), and the gradients that use them or avoid tfjs's full-size
 * tensors of ones (`Sum`, `Mean`, `Relu`, BatchNorm). Idempotent; importing
 * `@trustgrad/core-tensor` calls it, so users never need to.
 */
export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [...wasmTrainingKernels, ...cpuKernels]) {
    if (tf.getKernel(config.kernelName, config.backendName)) {
      tf.unregisterKernel(config.kernelName, config.backendName);
    }
    tf.registerKernel(config);
  }
  for (const config of [
    sumGradConfig,
    meanGradConfig,
    reluGradConfig,
    batchNormTrainingGradConfig,
    softmaxCrossEntropyGradConfig,
  ]) {
    tf.registerGradient(config);
  }
}
