import type { KernelConfig } from '@tensorflow/tfjs-core';
import { _FusedMatMul } from '@tensorflow/tfjs-core';
import { explicitTransposeMatMul } from './explicit-transpose-mat-mul';
import { originalKernel } from './original-kernels';

/**
 * `_FusedMatMul` (matmul + bias + activation, what `tfl.layers.dense` runs)
 * for wasm: transposed operands are transposed explicitly, then the original
 * kernel runs untransposed (see {@link explicitTransposeMatMul}).
 * Registered by {@link registerTrainingKernels}.
 */
export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  setupFunc: originalKernel('_FusedMatMul').setupFunc,
  kernelFunc: explicitTransposeMatMul('_FusedMatMul'),
};
