import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { heapAddress, heapSimd } from './heap-simd';

/**
 * Runs the SIMD kernel into `dx` (already allocated, `input`'s shape) when the
 * pooling fits it; returns false (nothing written) otherwise.
 */
export function tryMaxPoolGradSimd(
  backend: BackendWasm,
  input: TensorInfo,
  dy: TensorInfo,
  dx: TensorInfo,
  info: backend_util.Conv2DInfo,
): boolean {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const fits =
    input.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.strideHeight === fh &&
    info.strideWidth === fw &&
    outHeight * fh <= inHeight &&
    outWidth * fw <= inWidth;
  if (!fits) return false;
  const kernels = heapSimd(backend);
  if (!kernels) return false;
  const offset = (t: TensorInfo) => heapAddress(backend, t.dataId);
  if (outHeight * fh < inHeight || outWidth * fw < inWidth) {
    // Rows or columns no window covers get no gradient.
    (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
  }
  kernels.maxPoolGrad(
    offset(input),
    offset(dy),
    offset(dx),
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    fh,
    fw,
  );
  return true;
}
