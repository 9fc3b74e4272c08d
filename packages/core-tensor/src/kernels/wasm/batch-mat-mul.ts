import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  BatchMatMulAttrs,
  BatchMatMulInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { BatchMatMul } from '@tensorflow/tfjs-core';
import { disposeIntermediate, originalKernel, transposeLastTwo } from './original-kernels';

/**
 * `BatchMatMul` for wasm: `a·b` with `transposeA`/`transposeB` done as explicit
 * transposes first, then tfjs-backend-wasm's own kernel on untransposed
 * operands (its XNNPACK path). The original kernel's transposed path is about
 * 10× slower, and every dense-layer gradient takes it (`dW = xᵀ·dy`, `dx = dy·Wᵀ`).
 */
function batchMatMul(args: {
  inputs: BatchMatMulInputs;
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const original = originalKernel('BatchMatMul').kernelFunc;
  if (!attrs.transposeA && !attrs.transposeB) return original(args as never) as TensorInfo;
  const aPlain = attrs.transposeA ? transposeLastTwo(backend, a) : a;
  const bPlain = attrs.transposeB ? transposeLastTwo(backend, b) : b;
  const out = original({
    inputs: { a: aPlain, b: bPlain },
    backend,
    attrs: { ...attrs, transposeA: false, transposeB: false },
  }) as TensorInfo;
  if (aPlain !== a) disposeIntermediate(backend, aPlain);
  if (bPlain !== b) disposeIntermediate(backend, bPlain);
  return out;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  setupFunc: originalKernel('BatchMatMul').setupFunc,
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
