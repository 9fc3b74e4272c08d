import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { BinaryInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { Add } from '@tensorflow/tfjs-core';
import { originalKernel } from './original-kernels';

/**
 * `Add` for wasm with a fast path for a bias: `a` `[..., C]` plus `b` `[C]`
 * (either order), both float32 — every conv and dense layer's bias add.
 * tfjs-backend-wasm's broadcasting add computes an index per element: LeNet-5's
 * conv1 bias add `[32,24,24,6] + [6]` took 0.4–0.6 ms a call, as long as the
 * conv itself. Here one pass, row by row. Float32 sums computed in float64
 * and stored back are the correctly rounded float32 sums, as every backend
 * gives (NaN, ±∞ and −0 + −0 = −0 included). Every other shape and dtype goes
 * to the original kernel.
 */
function add(args: { inputs: BinaryInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const [a, b] = [inputs.a as TensorInfo, inputs.b as TensorInfo];
  const bias = biasOperands(a, b);
  if (!bias) return originalKernel('Add').kernelFunc(args as never) as TensorInfo;
  const { full, vector } = bias;
  const out = backend.makeOutput(full.shape, 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const o = backend.typedArrayFromHeap(out) as Float32Array;
  const x = backend.typedArrayFromHeap(full) as Float32Array;
  const v = backend.typedArrayFromHeap(vector) as Float32Array;
  const channels = v.length;
  for (let k = 0; k < x.length; k += channels) {
    for (let c = 0; c < channels; c++) o[k + c] = x[k + c] + v[c];
  }
  return out;
}

/** `{ full, vector }` when one operand is a float32 `[C]` vector and the other a float32 `[..., C]` tensor of rank ≥ 2. */
function biasOperands(
  a: TensorInfo,
  b: TensorInfo,
): { full: TensorInfo; vector: TensorInfo } | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  for (const [full, vector] of [
    [a, b],
    [b, a],
  ]) {
    if (
      vector.shape.length === 1 &&
      full.shape.length >= 2 &&
      vector.shape[0] > 0 &&
      full.shape[full.shape.length - 1] === vector.shape[0]
    ) {
      return { full, vector };
    }
  }
  return null;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const addConfig: KernelConfig = {
  kernelName: Add,
  backendName: 'wasm',
  setupFunc: originalKernel('Add').setupFunc,
  kernelFunc: add as unknown as KernelFunc,
};
