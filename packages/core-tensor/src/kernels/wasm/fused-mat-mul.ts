import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { _FusedMatMul } from '@tensorflow/tfjs-core';
import { disposeIntermediate, originalKernel, transposeLastTwo } from './original-kernels';

/**
 * `_FusedMatMul` (matmul + bias + activation, what `tfl.layers.dense` runs) for
 * wasm: transposed operands are transposed explicitly first, then
 * tfjs-backend-wasm's own kernel runs on its fast untransposed path (see
 * {@link batchMatMulConfig}).
 */
function fusedMatMul(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const original = originalKernel('_FusedMatMul').kernelFunc;
  if (!attrs.transposeA && !attrs.transposeB) return original(args as never) as TensorInfo;
  const aPlain = attrs.transposeA ? transposeLastTwo(backend, a) : a;
  const bPlain = attrs.transposeB ? transposeLastTwo(backend, b) : b;
  const out = original({
    inputs: { ...inputs, a: aPlain, b: bPlain },
    backend,
    attrs: { ...attrs, transposeA: false, transposeB: false },
  }) as TensorInfo;
  if (aPlain !== a) disposeIntermediate(backend, aPlain);
  if (bPlain !== b) disposeIntermediate(backend, bPlain);
  return out;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  setupFunc: originalKernel('_FusedMatMul').setupFunc,
  kernelFunc: fusedMatMul as unknown as KernelFunc,
};
