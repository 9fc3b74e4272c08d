import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  SumAttrs,
  SumInputs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, Sum, util } from '@tensorflow/tfjs-core';
import { heapAddress, heapSimd } from './heap-simd';
import { disposeIntermediate, originalKernel } from './original-kernels';

/**
 * `Sum` for wasm with a fast path for reducing a contiguous run of axes of a
 * float32 tensor short of the last ({@link reduceContiguousAxes}; the leading
 * axes `[batch, h, w, c]` → `[c]` are every bias gradient of a conv or dense
 * layer): `out[k] = Σ_r x[r, k]` in one contiguous pass over the wasm heap,
 * accumulated in float64, four rows per pass (`[64, 28, 28, 32]` → `[32]`:
 * ~2 ms; one row per pass ~7 ms). tfjs-backend-wasm's own kernel first
 * transposes the reduced axes to the end, which costs more still. An XNNPACK
 * product `ones · x` is slower on fresh tensors: it repacks `x` every call. Every other reduction goes to
 * the original kernel.
 */
function sum(args: { inputs: SumInputs; backend: BackendWasm; attrs: SumAttrs }): TensorInfo {
  return (
    reduceContiguousAxes(args.inputs.x as TensorInfo, args.backend, args.attrs, false) ??
    (originalKernel('Sum').kernelFunc(args as never) as TensorInfo)
  );
}

/**
 * `Σ_r x[a, r, k]` (or the mean, `÷ rows`) over a contiguous run of axes of a
 * float32 `x` that stops short of the last, or over every axis (`[a, r, k]`:
 * the axes before the run, the run, the axes after it; `k` of size 1 for all), in one contiguous pass over the wasm heap,
 * accumulated in float64, four rows per pass; null for any other axes (the
 * caller's original kernel handles those). The leading axes are every bias
 * gradient and BatchNorm's moments (`a` of size 1); the spatial axes of NHWC
 * are global average pooling (`[128, 8, 8, 64]` over `[1, 2]`: tfjs-backend-wasm's
 * kernel transposes first, 0.86–1.0 ms a call). Shared by `Sum` and `Mean`.
 */
export function reduceContiguousAxes(
  x: TensorInfo,
  backend: BackendWasm,
  attrs: { axis: number | number[]; keepDims: boolean },
  mean: boolean,
): TensorInfo | null {
  const rank = x.shape.length;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const first = axes[0];
  const run = axes.length > 0 && axes.every((axis, i) => axis === first + i);
  // Short of the last axis, or every axis (a loss vector's mean: rows of one value).
  const contiguous = run && (axes[axes.length - 1] < rank - 1 || axes.length === rank);
  if (x.dtype !== 'float32' || !contiguous) return null;
  const end = first + axes.length;
  const outer = util.sizeFromShape(x.shape.slice(0, first));
  const rows = util.sizeFromShape(x.shape.slice(first, end));
  const inner = util.sizeFromShape(x.shape.slice(end));
  const keptShape = [...x.shape.slice(0, first), ...x.shape.slice(end)];
  const outShape = attrs.keepDims ? backend_util.expandShapeToKeepDim(keptShape, axes) : keptShape;
  const out = backend.makeOutput(outShape, 'float32');
  const simd = sumRowsSimd(backend, x, outer, rows, inner);
  if (simd) {
    if (mean) for (let k = 0; k < simd.length; k++) simd[k] /= rows;
    (backend.typedArrayFromHeap(out) as Float32Array).set(simd);
    return out;
  }
  const outValues = backend.typedArrayFromHeap(out) as Float32Array;
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  const acc = new Float64Array(outer * inner);
  for (let a = 0; a < outer; a++) {
    const base = a * rows * inner;
    const accAt = a * inner;
    // Four rows per pass over the accumulator: a quarter of its loads and stores.
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const at = base + r * inner;
      for (let k = 0; k < inner; k++) {
        const i = at + k;
        acc[accAt + k] +=
          xValues[i] + xValues[i + inner] + (xValues[i + 2 * inner] + xValues[i + 3 * inner]);
      }
    }
    for (; r < rows; r++) {
      const at = base + r * inner;
      for (let k = 0; k < inner; k++) acc[accAt + k] += xValues[at + k];
    }
  }
  if (mean) for (let k = 0; k < acc.length; k++) acc[k] /= rows;
  outValues.set(acc);
  return out;
}

/**
 * The float64 row sums of {@link reduceContiguousAxes} by trustgrad's SIMD kernel
 * `sumLeadingRows` (the same additions in the same order, two channels per
 * instruction: `[128,32,32,16]` → `[16]` ~5 → ~1 ms), or null when the SIMD
 * module is unavailable.
 */
function sumRowsSimd(
  backend: BackendWasm,
  x: TensorInfo,
  outer: number,
  rows: number,
  inner: number,
): Float64Array | null {
  const kernels = heapSimd(backend);
  if (!kernels) return null;
  // outer · inner float64 accumulators on the heap (emscripten's malloc aligns to 8 bytes; checked).
  const scratch = backend.makeOutput([2 * outer * inner], 'float32');
  const address = heapAddress(backend, scratch.dataId);
  const view = backend.typedArrayFromHeap(scratch) as Float32Array;
  if (view.byteOffset % 8 !== 0) {
    disposeIntermediate(backend, scratch);
    return null;
  }
  const acc = new Float64Array(view.buffer, view.byteOffset, outer * inner);
  acc.fill(0);
  const from = heapAddress(backend, x.dataId);
  for (let a = 0; a < outer; a++) {
    kernels.sumLeadingRows(from + 4 * a * rows * inner, address + 8 * a * inner, rows, inner);
  }
  // Read after the call: the kernel does not grow memory, so the view is live.
  const sums = acc.slice();
  disposeIntermediate(backend, scratch);
  return sums;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  setupFunc: originalKernel('Sum').setupFunc,
  kernelFunc: sum as unknown as KernelFunc,
};
