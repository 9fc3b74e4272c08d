import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeIntermediate, originalKernel, transposeLastTwo } from './original-kernels';

/**
 * The kernel function of a matrix product (`BatchMatMul`, `_FusedMatMul`) for
 * wasm that does `transposeA`/`transposeB` as explicit transposes first, then
 * runs tfjs-backend-wasm's own kernel `name` on untransposed operands (its
 * XNNPACK path). The original kernel's transposed path is about 10× slower,
 * and every dense-layer gradient takes it (`dW = xᵀ·dy`, `dx = dy·Wᵀ`). Other
 * inputs (bias, prelu weights) and attributes pass through unchanged.
 */
export function explicitTransposeMatMul(name: 'BatchMatMul' | '_FusedMatMul'): KernelFunc {
  const matMul = (args: {
    inputs: Record<string, TensorInfo>;
    backend: BackendWasm;
    attrs: NamedAttrMap;
  }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    const original = originalKernel(name).kernelFunc;
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
  };
  return matMul as unknown as KernelFunc;
}
