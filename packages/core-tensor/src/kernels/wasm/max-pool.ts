import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  MaxPoolAttrs,
  MaxPoolInputs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, MaxPool } from '@tensorflow/tfjs-core';
import { heapAddress, heapSimd } from './heap-simd';
import { nonOverlappingWindows } from './max-pool-grad-simd';
import { originalKernel } from './original-kernels';

/**
 * `MaxPool` for wasm: non-overlapping windows (stride = window, no padding —
 * the zoo's 2×2 / stride 2, LeNet-5's) by trustgrad's SIMD kernel `maxPool` on
 * the calling thread, with cpu's rule (`v > best` from −∞: NaN is never taken);
 * tfjs-backend-wasm's XNNPACK pooling, which wakes the thread pool for every
 * call, costs more on small models' tensors (LeNet-5, batch 32: 0.23–0.41 ms a
 * call in the AT profile; 2×2 windows with at least 4 channels by its
 * pointer-stepping path, `[32, 24, 24, 6]` 0.12–0.15 → 0.04–0.05 ms). Every
 * other pooling goes to the original kernel.
 */
function maxPool(args: {
  inputs: MaxPoolInputs;
  backend: BackendWasm;
  attrs: MaxPoolAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  if (x.dtype === 'float32' && x.shape.length === 4) {
    const info = backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
    const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
    const kernels = nonOverlappingWindows(info) ? heapSimd(backend) : null;
    if (kernels) {
      const out = backend.makeOutput(info.outShape, 'float32');
      kernels.maxPool(
        heapAddress(backend, x.dataId),
        heapAddress(backend, out.dataId),
        batchSize,
        inHeight,
        inWidth,
        inChannels,
        outHeight,
        outWidth,
        fh,
        fw,
      );
      return out;
    }
  }
  return originalKernel('MaxPool').kernelFunc(args as never) as TensorInfo;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: 'wasm',
  setupFunc: originalKernel('MaxPool').setupFunc,
  kernelFunc: maxPool as unknown as KernelFunc,
};
