import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { BinaryInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { Add, Multiply, Sub } from '@tensorflow/tfjs-core';
import { type HeapSimd, heapAddress, heapSimd } from './heap-simd';
import { heapSimdThreads, runOverElements } from './heap-simd-threads';
import { disposeIntermediate, type OriginalKernelName, originalKernel } from './original-kernels';

type Op = (a: number, b: number) => number;

/**
 * A binary kernel for wasm with a fast path for a per-channel operand:
 * `a` `[..., C]` with `b` `[C]` or `[1, …, 1, C]` (either order), both
 * float32, up to {@link PER_CHANNEL_OUTPUT_LIMIT} outputs — conv/dense bias
 * adds of small models, BatchNorm's per-channel scale and shift. tfjs-backend-wasm's broadcasting binary ops compute an
 * index per element: LeNet-5's conv1 bias add `[32,24,24,6] + [6]` took
 * 0.4–0.6 ms a call, as long as the conv itself. Here one pass, row by row.
 * The float32 result computed in float64 and stored back is the correctly
 * rounded float32 result for `+`, `−` and `×`, as every backend gives (NaN,
 * ±∞ and signed zeros included). Small float32 outputs of any broadcast
 * (≤ {@link SMALL_BINARY_OUTPUT} elements) are computed here too, off the
 * thread pool; larger float32 operands of the same shape (a residual add, two
 * gradients summed) by trustgrad's SIMD `binaryElementwise`. Large calls split
 * over trustgrad's kernel thread pool (`heap-simd-threads.ts`); every other
 * shape and dtype goes to the original kernel.
 */
function channelBroadcast(
  name: OriginalKernelName & ('Add' | 'Multiply' | 'Sub'),
  op: Op,
): KernelFunc {
  const kernel = (args: { inputs: BinaryInputs; backend: BackendWasm }): TensorInfo => {
    const { inputs, backend } = args;
    const [a, b] = [inputs.a as TensorInfo, inputs.b as TensorInfo];
    const vectorFirst = isChannelVector(a, b);
    const fits = vectorFirst || isChannelVector(b, a);
    const kernels = heapSimd(backend);
    if (kernels && size(a) > SMALL_BINARY_OUTPUT && isSameShapeFloat32(a, b)) {
      return sameShapeSimd(name, kernels, backend, a, b);
    }
    // Without the SIMD module the JavaScript loop only pays up to the old limit.
    const limit = kernels ? PER_CHANNEL_OUTPUT_LIMIT : PER_CHANNEL_JS_OUTPUT_LIMIT;
    if (!fits || Math.max(size(a), size(b)) > limit) {
      return (
        smallBroadcast(name, backend, a, b, op) ??
        (originalKernel(name).kernelFunc(args as never) as TensorInfo)
      );
    }
    const [full, vector] = vectorFirst ? [b, a] : [a, b];
    const out = backend.makeOutput(full.shape, 'float32');
    if (kernels) {
      perChannelSimd(name, kernels, backend, out, full, vector, vectorFirst);
      return out;
    }
    // Views are taken after makeOutput: growing the wasm memory detaches older ones.
    const o = backend.typedArrayFromHeap(out) as Float32Array;
    const x = backend.typedArrayFromHeap(full) as Float32Array;
    const v = backend.typedArrayFromHeap(vector) as Float32Array;
    perChannel(name, o, x, v, vectorFirst);
    return out;
  };
  return kernel as unknown as KernelFunc;
}

/**
 * Largest output the per-channel path takes. With the SIMD loop, measured side
 * by side against tfjs-backend-wasm's kernel on 2 XNNPACK threads (AMD EPYC,
 * load ≈ 1, 2026-12-02), `x · v` per call: `[128,32,32,16]` 2.24 vs 2.90 ms,
 * `[128,16,16,32]` 0.90 vs 1.21, `[128,8,8,64]` 0.73 vs 0.80, `[64,28,28,32]`
 * 2.05 vs 1.82 (the JavaScript loop alone had lost from 262 144 outputs on).
 */
export const PER_CHANNEL_OUTPUT_LIMIT = 2_097_152;

/** The per-channel limit of the JavaScript loop, when the SIMD module is unavailable: `[32,24,24,6] ∘ [6]` 0.3 ms against 1.4–2.6 ms for tfjs-backend-wasm's kernel, but `[128,32,32,16] ∘ [16]` 10–31 ms against 5–12 ms. */
export const PER_CHANNEL_JS_OUTPUT_LIMIT = 262_144;

const size = (t: TensorInfo) => t.shape.reduce((p, d) => p * d, 1);

/**
 * Outputs up to this many elements are computed here whatever the broadcast:
 * tfjs-backend-wasm runs its binary ops on the XNNPACK thread pool, and for a
 * tiny tensor (softmax cross-entropy's `[32, 10] − [32, 1]`) the call is all
 * pool overhead — on a loaded machine a thread that has lost its core stalls
 * each such call for milliseconds (LeNet-5 profile at load 25: 7–9 ms per
 * 320-element `Multiply`/`Sub`).
 */
export const SMALL_BINARY_OUTPUT = 4096;

/** `op(a, b)` with numpy broadcasting on the main thread, for float32 outputs of at most {@link SMALL_BINARY_OUTPUT}; null otherwise. */
function smallBroadcast(
  name: 'Add' | 'Multiply' | 'Sub',
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  op: Op,
): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const rank = Math.max(a.shape.length, b.shape.length);
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const [as, bs] = [pad(a.shape), pad(b.shape)];
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (as[i] !== bs[i] && as[i] !== 1 && bs[i] !== 1) return null; // tfjs's kernel raises the error
    shape.push(as[i] === 1 ? bs[i] : as[i]);
  }
  const size = shape.reduce((p, d) => p * d, 1);
  if (size === 0 || size > SMALL_BINARY_OUTPUT) return null;
  // Element strides, 0 along broadcast axes.
  const strides = (s: number[]) => {
    const out = new Array<number>(rank).fill(0);
    for (let i = rank - 1, step = 1; i >= 0; step *= s[i], i--) out[i] = s[i] === 1 ? 0 : step;
    return out;
  };
  const [sa, sb] = [strides(as), strides(bs)];
  const out = backend.makeOutput(shape, 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const o = backend.typedArrayFromHeap(out) as Float32Array;
  const x = backend.typedArrayFromHeap(a) as Float32Array;
  const y = backend.typedArrayFromHeap(b) as Float32Array;
  if (x.length === size && y.length === size) {
    // Same shape (a dense layer's activations times their gradient): no index arithmetic.
    elementwise(name, o, x, y);
    return out;
  }
  const index = new Array<number>(rank).fill(0);
  let [ia, ib] = [0, 0];
  for (let k = 0; k < size; k++) {
    o[k] = op(x[ia], y[ib]);
    // Odometer over the output index, moving both input offsets.
    for (let axis = rank - 1; axis >= 0; axis--) {
      ia += sa[axis];
      ib += sb[axis];
      if (++index[axis] < shape[axis]) break;
      ia -= sa[axis] * shape[axis];
      ib -= sb[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return out;
}

/** `o[k] = x[k] ∘ y[k]`, one loop per operator so that V8 compiles each without a call in its body. */
function elementwise(
  name: 'Add' | 'Multiply' | 'Sub',
  o: Float32Array,
  x: Float32Array,
  y: Float32Array,
): void {
  const n = o.length;
  if (name === 'Add') for (let k = 0; k < n; k++) o[k] = x[k] + y[k];
  else if (name === 'Multiply') for (let k = 0; k < n; k++) o[k] = x[k] * y[k];
  else for (let k = 0; k < n; k++) o[k] = x[k] - y[k];
}

/** The SIMD operator codes of `perChannelBinary` (heap-simd.wat). */
const SIMD_OP = { Add: 0, Multiply: 1, Sub: 2 } as const;

/**
 * {@link perChannel} by trustgrad's SIMD kernel `perChannelBinary`: the channel
 * vector repeated to `lcm(C, 4)` floats, then 4 outputs at a time (LeNet-5's
 * conv1 bias add: about 10× the JavaScript loop).
 */
function perChannelSimd(
  name: 'Add' | 'Multiply' | 'Sub',
  kernels: HeapSimd,
  backend: BackendWasm,
  out: TensorInfo,
  full: TensorInfo,
  vector: TensorInfo,
  vectorFirst: boolean,
): void {
  const channels = vector.shape[vector.shape.length - 1];
  const period = channels % 4 === 0 ? channels : channels % 2 === 0 ? 2 * channels : 4 * channels;
  const pattern = backend.makeOutput([period], 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const v = backend.typedArrayFromHeap(vector) as Float32Array;
  const p = backend.typedArrayFromHeap(pattern) as Float32Array;
  for (let k = 0; k < period; k++) p[k] = v[k % channels];
  const [from, by, to] = [full, pattern, out].map((t) => heapAddress(backend, t.dataId));
  const op = name === 'Sub' && vectorFirst ? 3 : SIMD_OP[name];
  const threads = heapSimdThreads(backend);
  runOverElements(kernels, threads, 'perChannelBinary', size(full), period, (k0, k1) => [
    op,
    from,
    by,
    to,
    k0,
    k1,
    period,
  ]);
  disposeIntermediate(backend, pattern);
}

/**
 * `a ∘ b` for two float32 tensors of one shape by trustgrad's SIMD
 * `binaryElementwise`, split over the kernel thread pool when large.
 */
function sameShapeSimd(
  name: 'Add' | 'Multiply' | 'Sub',
  kernels: HeapSimd,
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo {
  const out = backend.makeOutput(a.shape, 'float32');
  const [left, right, to] = [a, b, out].map((t) => heapAddress(backend, t.dataId));
  const threads = heapSimdThreads(backend);
  runOverElements(kernels, threads, 'binaryElementwise', size(a), 4, (k0, k1) => [
    SIMD_OP[name],
    left,
    right,
    to,
    k0,
    k1,
  ]);
  return out;
}

function isSameShapeFloat32(a: TensorInfo, b: TensorInfo): boolean {
  return (
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    a.shape.length === b.shape.length &&
    a.shape.every((d, i) => d === b.shape[i])
  );
}

/**
 * `o[k] = x[k] ∘ v[k mod C]` (or `v ∘ x` when `vectorFirst`), one loop per
 * operator so that V8 compiles each without a call in its body.
 */
function perChannel(
  name: 'Add' | 'Multiply' | 'Sub',
  o: Float32Array,
  x: Float32Array,
  v: Float32Array,
  vectorFirst: boolean,
): void {
  const channels = v.length;
  const n = x.length;
  if (name === 'Add') {
    for (let k = 0; k < n; k += channels)
      for (let c = 0; c < channels; c++) o[k + c] = x[k + c] + v[c];
  } else if (name === 'Multiply') {
    for (let k = 0; k < n; k += channels)
      for (let c = 0; c < channels; c++) o[k + c] = x[k + c] * v[c];
  } else if (vectorFirst) {
    for (let k = 0; k < n; k += channels)
      for (let c = 0; c < channels; c++) o[k + c] = v[c] - x[k + c];
  } else {
    for (let k = 0; k < n; k += channels)
      for (let c = 0; c < channels; c++) o[k + c] = x[k + c] - v[c];
  }
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
