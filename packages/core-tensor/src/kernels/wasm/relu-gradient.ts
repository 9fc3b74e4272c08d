import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { RELU_GRADIENT } from '../../ops/relu-gradient';
import { reluGradientOnArrays } from '../cpu/relu-gradient';
import { heapAddress, heapSimd } from './heap-simd';
import { heapSimdThreads, runOverElements } from './heap-simd-threads';

/**
 * `TrustgradReluGradient` for wasm: `dy · step(x)` in one pass of
 * trustgrad's SIMD `reluGradient` (`heap-simd.wat`; the JavaScript loop of
 * the cpu kernel where the module is unavailable), large tensors split over
 * trustgrad's kernel thread pool (`heap-simd-threads.ts`), instead of tfjs's `Step`,
 * `Cast` and `Multiply` (ResNet-20, batch 128: 19 ReLUs a step).
 */
function reluGradientWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, backend } = args;
  const { dy, x } = inputs;
  const size = x.shape.reduce((product, d) => product * d, 1);
  const out = backend.makeOutput(x.shape, 'float32');
  const kernels = heapSimd(backend);
  if (kernels) {
    const [g, input, to] = [dy, x, out].map((t) => heapAddress(backend, t.dataId));
    runOverElements(kernels, heapSimdThreads(backend), 'reluGradient', size, 4, (k0, k1) => [
      g,
      input,
      to,
      k0,
      k1,
    ]);
  } else {
    // Views are taken after makeOutput: growing the wasm memory detaches older ones.
    reluGradientOnArrays(
      backend.typedArrayFromHeap(dy) as Float32Array,
      backend.typedArrayFromHeap(x) as Float32Array,
      backend.typedArrayFromHeap(out) as Float32Array,
    );
  }
  return out;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const reluGradientWasmConfig: KernelConfig = {
  kernelName: RELU_GRADIENT,
  backendName: 'wasm',
  kernelFunc: reluGradientWasm as unknown as KernelFunc,
};
