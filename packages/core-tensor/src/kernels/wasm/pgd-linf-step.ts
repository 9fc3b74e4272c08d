import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { PGD_LINF_STEP } from '../../ops/pgd-linf-step';
import { pgdLinfStepOnCpuArrays } from '../cpu/pgd-linf-step';
import { heapAddress, heapSimd } from './heap-simd';

/**
 * {@link PGD_LINF_STEP} for wasm: trustgrad's SIMD `pgdLinfStep` (one pass
 * over the heap, 4 pixels at a time) in place of the eight kernel calls of
 * the composition; the same JavaScript loop as the cpu kernel when the SIMD
 * module is unavailable.
 */
function pgdLinfStepWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { xAdv, gradient, x, stepSize, epsilon } = inputs;
  const { clip, lo, hi } = attrs as { clip: boolean; lo: number; hi: number };
  const batch = xAdv.shape[0];
  const perSample = xAdv.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput(xAdv.shape, 'float32');
  const kernels = heapSimd(backend);
  if (kernels) {
    const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
    kernels.pgdLinfStep(
      at(xAdv),
      at(gradient),
      at(x),
      at(stepSize),
      at(epsilon),
      at(out),
      batch,
      perSample,
      clip ? 1 : 0,
      lo,
      hi,
    );
    return out;
  }
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  pgdLinfStepOnCpuArrays(
    view(xAdv),
    view(gradient),
    view(x),
    view(stepSize),
    view(epsilon),
    view(out),
    clip ? [lo, hi] : null,
  );
  return out;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const pgdLinfStepWasmConfig: KernelConfig = {
  kernelName: PGD_LINF_STEP,
  backendName: 'wasm',
  kernelFunc: pgdLinfStepWasm as unknown as KernelFunc,
};
