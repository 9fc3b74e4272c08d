import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { heapAddress, heapSimd, zeroTensor } from './heap-simd';

/**
 * Whether a pooling's windows tile the image without overlap or padding
 * (stride = window, every window inside the image): what the SIMD pooling
 * kernels take.
 */
export function nonOverlappingWindows(info: backend_util.Conv2DInfo): boolean {
  const { inHeight, inWidth, outHeight, outWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  return (
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.strideHeight === fh &&
    info.strideWidth === fw &&
    outHeight > 0 &&
    outWidth > 0 &&
    outHeight * fh <= inHeight &&
    outWidth * fw <= inWidth
  );
}

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
  const fits = input.dtype === 'float32' && dy.dtype === 'float32' && nonOverlappingWindows(info);
  if (!fits) return false;
  const kernels = heapSimd(backend);
  if (!kernels) return false;
  const offset = (t: TensorInfo) => heapAddress(backend, t.dataId);
  if (outHeight * fh < inHeight || outWidth * fw < inWidth) {
    // Rows or columns no window covers get no gradient.
    zeroTensor(backend, dx);
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
