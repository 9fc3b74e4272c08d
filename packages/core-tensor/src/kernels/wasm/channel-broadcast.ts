import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { BinaryInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { Add, Multiply, Sub } from '@tensorflow/tfjs-core';
import { type OriginalKernelName, originalKernel } from './original-kernels';

type Op = (a: number, b: number) => number;

/**
 * A binary kernel for wasm with a fast path for a per-channel operand:
 * `a` `[..., C]` with `b` `[C]` or `[1, …, 1, C]` (either order), both
 * float32 — every conv/dense bias add, and BatchNorm's per-channel scale and
 * shift in its gradient. tfjs-backend-wasm's broadcasting binary ops compute an
 * index per element: LeNet-5's conv1 bias add `[32,24,24,6] + [6]` took
 * 0.4–0.6 ms a call, as long as the conv itself. Here one pass, row by row.
 * The float32 result computed in float64 and stored back is the correctly
 * rounded float32 result for `+`, `−` and `×`, as every backend gives (NaN,
 * ±∞ and signed zeros included). Every other shape and dtype goes to the
 * original kernel.
 */
function channelBroadcast(
  name: OriginalKernelName & ('Add' | 'Multiply' | 'Sub'),
  op: Op,
): KernelFunc {
  const kernel = (args: { inputs: BinaryInputs; backend: BackendWasm }): TensorInfo => {
    const { inputs, backend } = args;
    const [a, b] = [inputs.a as TensorInfo, inputs.b as TensorInfo];
    const vectorFirst = isChannelVector(a, b);
    if (!vectorFirst && !isChannelVector(b, a)) {
      return originalKernel(name).kernelFunc(args as never) as TensorInfo;
    }
    const [full, vector] = vectorFirst ? [b, a] : [a, b];
    const out = backend.makeOutput(full.shape, 'float32');
    // Views are taken after makeOutput: growing the wasm memory detaches older ones.
    const o = backend.typedArrayFromHeap(out) as Float32Array;
    const x = backend.typedArrayFromHeap(full) as Float32Array;
    const v = backend.typedArrayFromHeap(vector) as Float32Array;
    const channels = v.length;
    if (vectorFirst) {
      for (let k = 0; k < x.length; k += channels) {
        for (let c = 0; c < channels; c++) o[k + c] = op(v[c], x[k + c]);
      }
    } else {
      for (let k = 0; k < x.length; k += channels) {
        for (let c = 0; c < channels; c++) o[k + c] = op(x[k + c], v[c]);
      }
    }
    return out;
  };
  return kernel as unknown as KernelFunc;
}

/** Whether `vector` is float32 `[C]` or `[1, …, 1, C]` and `full` a float32 `[..., C]` of at least its rank (rank ≥ 2). */
function isChannelVector(vector: TensorInfo, full: TensorInfo): boolean {
  const [vs, fs] = [vector.shape, full.shape];
  return (
    vector.dtype === 'float32' &&
    full.dtype === 'float32' &&
    fs.length >= 2 &&
    vs.length >= 1 &&
    vs.length <= fs.length &&
    vs[vs.length - 1] > 0 &&
    vs[vs.length - 1] === fs[fs.length - 1] &&
    vs.slice(0, -1).every((d) => d === 1) &&
    // a full of one element per channel would make the vector the larger one
    fs.slice(0, -1).some((d) => d !== 1)
  );
}

function config(name: 'Add' | 'Multiply' | 'Sub', kernelName: string, op: Op): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    setupFunc: originalKernel(name).setupFunc,
    kernelFunc: channelBroadcast(name, op),
  };
}

/** `Add` for wasm, registered by {@link registerTrainingKernels}. */
export const addConfig = config('Add', Add, (a, b) => a + b);
/** `Multiply` for wasm, registered by {@link registerTrainingKernels}. */
export const multiplyConfig = config('Multiply', Multiply, (a, b) => a * b);
/** `Sub` for wasm, registered by {@link registerTrainingKernels}. */
export const subConfig = config('Sub', Sub, (a, b) => a - b);
