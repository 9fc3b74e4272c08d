import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo, UnaryInputs } from '@tensorflow/tfjs-core';
import { Relu } from '@tensorflow/tfjs-core';
import { heapAddress, heapSimd } from './heap-simd';
import { originalKernel } from './original-kernels';

/**
 * Largest float32 `Relu` trustgrad's SIMD kernel takes on the calling thread;
 * larger ones go to XNNPACK's pool, whose wake-up dominated small models'
 * calls (LeNet-5, batch 32: 0.2–0.4 ms a call for 2 688–110 592 values in the
 * AT profile, 15% of its kernel time).
 */
export const SMALL_RELU_LIMIT = 262_144;

/**
 * `Relu` for wasm: float32 inputs up to {@link SMALL_RELU_LIMIT} values by
 * trustgrad's SIMD `relu`, `max(x, 0)` exactly as cpu's `Math.max(0, x)` (NaN
 * kept, −0 → +0); everything else by the original kernel.
 */
function relu(args: { inputs: UnaryInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  const size = x.shape.reduce((p, d) => p * d, 1);
  const kernels = x.dtype === 'float32' && size <= SMALL_RELU_LIMIT ? heapSimd(backend) : null;
  if (!kernels) return originalKernel('Relu').kernelFunc(args as never) as TensorInfo;
  const out = backend.makeOutput(x.shape, 'float32');
  kernels.relu(heapAddress(backend, x.dataId), heapAddress(backend, out.dataId), size);
  return out;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const reluConfig: KernelConfig = {
  kernelName: Relu,
  backendName: 'wasm',
  setupFunc: originalKernel('Relu').setupFunc,
  kernelFunc: relu as unknown as KernelFunc,
};
