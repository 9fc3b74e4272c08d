import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { RELU_GRADIENT } from '../../ops/relu-gradient';

/**
 * `out[i] = dy[i] · step(x[i])` (step: 1 for `x > 0`, NaN for NaN, else 0), the
 * values of cpu's `Step` then `Multiply`. Shared by the wasm kernel's
 * JavaScript path.
 */
export function reluGradientOnArrays(dy: Float32Array, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) {
    const xi = x[i];
    out[i] = dy[i] * (xi > 0 ? 1 : Number.isNaN(xi) ? Number.NaN : 0);
  }
}

function reluGradientCpu(args: {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
}): TensorInfo {
  const { inputs, backend } = args;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const out = new Float32Array(values(inputs.x).length);
  reluGradientOnArrays(values(inputs.dy), values(inputs.x), out);
  return backend.makeTensorInfo(inputs.x.shape, 'float32', out);
}

/** Registered for `cpu` by {@link registerTrainingKernels}. */
export const reluGradientCpuConfig: KernelConfig = {
  kernelName: RELU_GRADIENT,
  backendName: 'cpu',
  kernelFunc: reluGradientCpu as unknown as KernelFunc,
};
