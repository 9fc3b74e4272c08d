import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { heapAddress, heapSimd } from './heap-simd';
import { disposeIntermediate, originalKernel, transposeLastTwo } from './original-kernels';

/**
 * Largest product (`M·K·N` multiply-adds per matrix) trustgrad's SIMD `matMul`
 * takes on the calling thread; larger ones go to XNNPACK's pool. Measured in
 * LeNet-5 (2 XNNPACK threads, AMD EPYC, 2026-12-02): its dense products of up
 * to `[32,256]·[256,120]` (983 040) took 0.15–0.5 ms a call on the pool, mostly
 * its wake-up; the FMNIST CNN's `[64,3136]·[3136,128]` (25.7 M) is XNNPACK's.
 */
export const SMALL_MAT_MUL_LIMIT = 1_048_576;

/**
 * The kernel function of a matrix product (`BatchMatMul`, `_FusedMatMul`) for
 * wasm that does `transposeA`/`transposeB` as explicit transposes first, then
 * runs untransposed: small float32 products (≤ {@link SMALL_MAT_MUL_LIMIT}
 * multiply-adds, no activation but relu, a bias of one value per column) by
 * trustgrad's SIMD `matMul` on the calling thread (bit-identical to XNNPACK's
 * GEMM, which sums each output over `k` in the same order: a test checks), the rest by tfjs-backend-wasm's
 * own kernel `name` (its XNNPACK path). The original kernel's transposed path
 * is about 10× slower, and every dense-layer gradient takes it
 * (`dW = xᵀ·dy`, `dx = dy·Wᵀ`). Other inputs (bias, prelu weights) and
 * attributes pass through unchanged.
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
    const small = smallProduct(inputs, attrs);
    if (!attrs.transposeA && !attrs.transposeB && !small) {
      return original(args as never) as TensorInfo;
    }
    const aPlain = attrs.transposeA ? transposeLastTwo(backend, a) : a;
    const bPlain = attrs.transposeB ? transposeLastTwo(backend, b) : b;
    const out =
      (small && smallMatMul(backend, aPlain, bPlain, inputs.bias, attrs.activation === 'relu')) ||
      (original({
        inputs: { ...inputs, a: aPlain, b: bPlain },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as TensorInfo);
    if (aPlain !== a) disposeIntermediate(backend, aPlain);
    if (bPlain !== b) disposeIntermediate(backend, bPlain);
    return out;
  };
  return matMul as unknown as KernelFunc;
}

/** Whether the product is one {@link smallMatMul} computes: float32, small, relu or no activation, a per-column bias. */
function smallProduct(inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): boolean {
  const { a, b, bias, preluActivationWeights } = inputs;
  // Mismatched or non-matrix operands go to tfjs's kernel, which raises its errors.
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
    return false;
  }
  if (preluActivationWeights) return false;
  const activation = attrs.activation as string | undefined;
  if (activation !== undefined && activation !== 'linear' && activation !== 'relu') return false;
  const [ra, rb] = [a.shape.length, b.shape.length];
  const m = attrs.transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = attrs.transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = attrs.transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const kB = attrs.transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  if (k !== kB || m * k * n > SMALL_MAT_MUL_LIMIT || m * k * n === 0) return false;
  // A bias of one value per column: [n] or [1, …, 1, n] (a [n, 1] one would be per row).
  const perColumn = (t: TensorInfo) =>
    t.dtype === 'float32' &&
    t.shape.length >= 1 &&
    t.shape[t.shape.length - 1] === n &&
    t.shape.slice(0, -1).every((d) => d === 1);
  if (bias && !perColumn(bias)) return false;
  // One matrix on each side, or a batch of a against one b (tfjs broadcasts others).
  const batch = (t: TensorInfo) => t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return batch(b) === 1 || batch(b) === batch(a);
}

/** `act(a·b + bias)` for untransposed `a` `[..., M, K]`, `b` `[..., K, N]` by the SIMD kernel, batch by batch; null without it. */
function smallMatMul(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  bias: TensorInfo | undefined,
  relu: boolean,
): TensorInfo | null {
  const kernels = heapSimd(backend);
  if (!kernels) return null;
  const [ra, rb] = [a.shape.length, b.shape.length];
  const [m, k, n] = [a.shape[ra - 2], a.shape[ra - 1], b.shape[rb - 1]];
  const batchA = a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const batchB = b.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const outer = (a.shape.length >= b.shape.length ? a : b).shape.slice(0, -2);
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
  const [aAt, bAt, outAt] = [at(a), at(b), at(out)];
  const biasAt = bias ? at(bias) : 0;
  for (let i = 0; i < batchA; i++) {
    kernels.matMul(
      aAt + 4 * i * m * k,
      bAt + (batchB === 1 ? 0 : 4 * i * k * n),
      biasAt,
      outAt + 4 * i * m * n,
      m,
      k,
      n,
      relu ? 1 : 0,
    );
  }
  return out;
}
