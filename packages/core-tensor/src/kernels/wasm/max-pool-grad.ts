import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  MaxPoolGradAttrs,
  MaxPoolGradInputs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs-core';
import { tryMaxPoolGradSimd } from './max-pool-grad-simd';
import { originalKernel } from './original-kernels';

/**
 * `MaxPoolGrad` for wasm: routes each `dy` value to the first maximum of its
 * pooling window (scan order row, then column — the same tie rule as tfjs's
 * cpu kernel), `dx[argmax(window(n,i,j,c))] += dy[n,i,j,c]`.
 *
 * A single pass in JavaScript over the wasm heap, channels innermost so every
 * read is contiguous: about 10× faster than tfjs-backend-wasm's own kernel,
 * which was the largest single cost of an FMNIST-CNN training step.
 * Non-overlapping windows (the zoo's 2×2 / stride 2, LeNet-5's) run a SIMD
 * WebAssembly kernel on the same heap instead (`heap-simd.ts`, same tie rule;
 * channels beyond a multiple of 4 one at a time): `[64, 28, 28, 32]` 13.8 →
 * 1.8 ms; LeNet-5's 6 channels `[32, 24, 24, 6]` 1.6 → 0.55 ms. 2×2 windows
 * with at least 4 channels step pointers and overlap the last channel group
 * instead of a scalar tail: `[32, 24, 24, 6]` 0.20–0.39 → 0.06–0.07 ms.
 */
function maxPoolGrad(args: {
  inputs: MaxPoolGradInputs;
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, 'float32');
  if (tryMaxPoolGradSimd(backend, input, dy, dx, info)) return dx;
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const dxValues = backend.typedArrayFromHeap(dx) as Float32Array;
  const xValues = backend.typedArrayFromHeap(input) as Float32Array;
  const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
  dxValues.fill(0);
  const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, inChannels: channels } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * channels;
    for (let i = 0; i < outHeight; i++) {
      const rowStart = i * strideHeight - top;
      const rowFrom = Math.max(0, rowStart);
      const rowTo = Math.min(inHeight, rowStart + fh);
      for (let j = 0; j < outWidth; j++) {
        const colStart = j * strideWidth - left;
        const colFrom = Math.max(0, colStart);
        const colTo = Math.min(inWidth, colStart + fw);
        best.fill(Number.NEGATIVE_INFINITY);
        bestAt.fill(-1);
        for (let r = rowFrom; r < rowTo; r++) {
          for (let c = colFrom; c < colTo; c++) {
            const at = xBatch + (r * inWidth + c) * channels;
            for (let d = 0; d < channels; d++) {
              const value = xValues[at + d];
              if (value > best[d]) {
                best[d] = value;
                bestAt[d] = at + d;
              }
            }
          }
        }
        const dyAt = ((b * outHeight + i) * outWidth + j) * channels;
        for (let d = 0; d < channels; d++) {
          if (bestAt[d] >= 0) dxValues[bestAt[d]] += dyValues[dyAt + d];
        }
      }
    }
  }
  return dx;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  setupFunc: originalKernel('MaxPoolGrad').setupFunc,
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
