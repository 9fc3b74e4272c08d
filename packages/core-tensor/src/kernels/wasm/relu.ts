import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo, UnaryInputs } from '@tensorflow/tfjs-core';
import { Relu } from '@tensorflow/tfjs-core';
import { heapAddress, heapSimd } from './heap-simd';
import { heapSimdThreads, runOverElements } from './heap-simd-threads';
import { originalKernel } from './original-kernels';

/**
 * `Relu` for wasm: float32 inputs by trustgrad's SIMD `relu`, large ones split
 * over trustgrad's kernel thread pool (`heap-simd-threads.ts`), `max(x, 0)` exactly as cpu's `Math.max(0, x)` (NaN kept, −0 → +0);
 * other dtypes by the original kernel. Small tensors left XNNPACK's pool
 * because its wake-up dominated small models' calls (LeNet-5, batch 32:
 * 0.2–0.4 ms a call for 2 688–110 592 values, 15% of its AT kernel time);
 * large ones too, because the pool thread keeps spinning after the call and
 * takes the core from the convolution kernels' thread that runs next
 * (ResNet-20 step, side by side in one process: 641 → 606 ms; the FMNIST CNN
 * step 72 vs 73 ms, its ReLUs fused into the convolutions). trustgrad's pool
 * threads spin only ~20 µs after a call before they sleep.
 */
function relu(args: { inputs: UnaryInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  const size = x.shape.reduce((p, d) => p * d, 1);
  const kernels = x.dtype === 'float32' ? heapSimd(backend) : null;
  if (!kernels) return originalKernel('Relu').kernelFunc(args as never) as TensorInfo;
  const out = backend.makeOutput(x.shape, 'float32');
  const [from, to] = [heapAddress(backend, x.dataId), heapAddress(backend, out.dataId)];
  runOverElements(kernels, heapSimdThreads(backend), 'relu', size, 4, (k0, k1) => [
    from,
    to,
    k0,
    k1,
  ]);
  return out;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const reluConfig: KernelConfig = {
  kernelName: Relu,
  backendName: 'wasm',
  setupFunc: originalKernel('Relu').setupFunc,
  kernelFunc: relu as unknown as KernelFunc,
};
