import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { BANDED_SEPARABLE_FILTER } from '../../ops/banded-separable-filter';
import { heapAddress, heapSimd } from './heap-simd';
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
 * a multiple of 4; otherwise a scalar loop does the same sums. Gaussian
 * smoothing of `[64, 28, 28, 32]` with reflect borders: ~11 ms as mirror-pad
 * plus four XNNPACK depthwise passes, ~2.5 ms here.
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
  const scratch = backend.makeOutput(x.shape, 'float32');
  const kernels = channels % 4 === 0 ? heapSimd(backend) : null;
  const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
  if (kernels) {
    kernels.bandedSeparable(
      at(x),
      at(scratch),
      at(y),
      batch,
      height,
      width,
      channels,
      at(rowIndex),
      at(rowWeight),
      rowTaps,
      at(colIndex),
      at(colWeight),
      colTaps,
    );
  } else {
    // Views are taken after makeOutput: growing the wasm memory detaches older ones.
    const view = (t: TensorInfo) => backend.typedArrayFromHeap(t);
    const [xs, tmp, ys] = [view(x), view(scratch), view(y)] as Float32Array[];
    const [ri, rw, ci, cw] = [view(rowIndex), view(rowWeight), view(colIndex), view(colWeight)];
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
  disposeIntermediate(backend, scratch);
  return y;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const bandedSeparableFilterConfig: KernelConfig = {
  kernelName: BANDED_SEPARABLE_FILTER,
  backendName: 'wasm',
  kernelFunc: bandedSeparableFilter as unknown as KernelFunc,
};
