import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BANDED_SEPARABLE_FILTER } from '../../ops/banded-separable-filter';
import { heapAddress, heapSimd } from './heap-simd';
import { heapSimdThreads, perImageParts, runPerImage } from './heap-simd-threads';
import { disposeIntermediate } from './original-kernels';

interface BandedSeparableInputs {
  x: TensorInfo;
  rowIndex: TensorInfo;
  rowWeight: TensorInfo;
  colIndex: TensorInfo;
  colWeight: TensorInfo;
}

/**
 * The fused kernel of `bandedSeparableFilter` for wasm: a pass down the
 * height axis into a scratch tensor, then one along the width axis into the
 * output, reading the backend's heap in place. The SIMD kernel
 * (`heap-simd.wat`, 16 and 4 floats at a time) runs when the channel count is
 * a multiple of 4, image by image through one image of scratch per thread
 * (so it stays in cache between the two passes), the images claimed by the
 * kernel threads where the call is large (`runPerImage`); otherwise a scalar
 * loop does the same sums over the whole batch. Gaussian smoothing of
 * `[64, 28, 28, 32]` with reflect borders, 5 taps: ~11 ms as mirror-pad plus
 * four XNNPACK depthwise passes; 2.2 ms (median of 30 calls) as the SIMD
 * kernel's two passes over the whole batch on one thread; 1.3 ms split image
 * by image over the 2-core machine's two threads, the taps handed over as
 * byte offsets (2026-12-04).
 */
function bandedSeparableFilter(args: {
  inputs: BandedSeparableInputs;
  backend: BackendWasm;
  attrs: { rowTaps: number; colTaps: number };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, rowIndex, rowWeight, colIndex, colWeight } = inputs;
  const [batch, height, width, channels] = x.shape;
  const { rowTaps, colTaps } = attrs;
  const y = backend.makeOutput(x.shape, 'float32');
  const kernels = channels % 4 === 0 ? heapSimd(backend) : null;
  if (kernels) {
    const threads = heapSimdThreads(backend);
    const imageFloats = height * width * channels;
    const parts = perImageParts(threads, batch, batch * imageFloats);
    // One image of scratch per thread (each runs its images' two passes through its own),
    // then the taps as byte offsets, which the kernel adds without index arithmetic.
    const [rowTable, colTable] = [height * rowTaps, width * colTaps];
    const scratch = backend.makeOutput([parts * imageFloats + rowTable + colTable], 'float32');
    const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
    const [from, tmp, to] = [at(x), at(scratch), at(y)];
    // Views are taken after makeOutput: growing the wasm memory detaches older ones.
    const floats = backend.typedArrayFromHeap(scratch) as Float32Array;
    const offsets = new Int32Array(
      floats.buffer,
      floats.byteOffset + 4 * parts * imageFloats,
      rowTable + colTable,
    );
    const [rows, cols] = [rowIndex, colIndex].map((t) => backend.typedArrayFromHeap(t));
    for (let k = 0; k < rowTable; k++) offsets[k] = rows[k] * width * channels * 4;
    for (let k = 0; k < colTable; k++) offsets[rowTable + k] = cols[k] * channels * 4;
    const rowOffsets = tmp + 4 * parts * imageFloats;
    const tables = [
      rowOffsets,
      at(rowWeight),
      rowTaps,
      rowOffsets + 4 * rowTable,
      at(colWeight),
      colTaps,
    ];
    runPerImage(kernels, threads, 'bandedSeparable', batch, batch * imageFloats, (n0, n1, part) => [
      from,
      tmp + 4 * part * imageFloats,
      to,
      n0,
      n1,
      height,
      width,
      channels,
      ...tables,
    ]);
    disposeIntermediate(backend, scratch);
    return y;
  }
  // Without the SIMD module (or C not a multiple of 4): the same sums in JavaScript on heap views.
  const scratch = backend.makeOutput(x.shape, 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t);
  bandedSeparableOnArrays(
    [view(x), view(scratch), view(y)] as Float32Array[],
    [view(rowIndex), view(rowWeight), view(colIndex), view(colWeight)],
    x.shape,
    rowTaps,
    colTaps,
  );
  disposeIntermediate(backend, scratch);
  return y;
}

/** {@link bandedSeparableFilter}'s two passes over the whole batch: `tmp` as large as `x`. */
function bandedSeparableOnArrays(
  [xs, tmp, ys]: Float32Array[],
  [ri, rw, ci, cw]: ArrayLike<number>[],
  [batch, height, width, channels]: number[],
  rowTaps: number,
  colTaps: number,
): void {
  const rowLength = width * channels;
  for (let b = 0; b < batch; b++) {
    const plane = b * height * rowLength;
    for (let h = 0; h < height; h++) {
      const out = plane + h * rowLength;
      tmp.fill(0, out, out + rowLength);
      for (let t = 0; t < rowTaps; t++) {
        const k = h * rowTaps + t;
        const from = plane + ri[k] * rowLength;
        for (let j = 0; j < rowLength; j++) tmp[out + j] += rw[k] * xs[from + j];
      }
    }
  }
  for (let row = 0; row < batch * height; row++) {
    const line = row * rowLength;
    for (let w = 0; w < width; w++) {
      const out = line + w * channels;
      ys.fill(0, out, out + channels);
      for (let u = 0; u < colTaps; u++) {
        const k = w * colTaps + u;
        const from = line + ci[k] * channels;
        for (let c = 0; c < channels; c++) ys[out + c] += cw[k] * tmp[from + c];
      }
    }
  }
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const bandedSeparableFilterConfig: KernelConfig = {
  kernelName: BANDED_SEPARABLE_FILTER,
  backendName: 'wasm',
  kernelFunc: bandedSeparableFilter as unknown as KernelFunc,
};
