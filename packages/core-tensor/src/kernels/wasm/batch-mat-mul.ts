import type { KernelConfig } from '@tensorflow/tfjs-core';
import { BatchMatMul } from '@tensorflow/tfjs-core';
import { explicitTransposeMatMul } from './explicit-transpose-mat-mul';
import { originalKernel } from './original-kernels';

/**
 * `BatchMatMul` for wasm: transposed operands are transposed explicitly, then
 * the original kernel runs untransposed (see {@link explicitTransposeMatMul}).
 * Registered by {@link registerTrainingKernels}.
 */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  setupFunc: originalKernel('BatchMatMul').setupFunc,
  kernelFunc: explicitTransposeMatMul('BatchMatMul'),
};
