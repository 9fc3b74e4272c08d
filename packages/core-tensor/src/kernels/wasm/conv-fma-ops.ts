import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvFma, convFmaFor, partsOverImages, runOverImages } from './conv-fma';
import { backendMemory, heapAddress } from './heap-simd';
import { disposeIntermediate } from './original-kernels';

/**
 * The three convolutions of a training step on trustgrad's register-blocked
 * kernels (`conv-fma.ts`): forward, filter gradient, input gradient, for NHWC
 * float32 tensors without dilation. Each returns null where its kernel does
 * not apply, and the caller runs its other path. Padding is copied into a
 * zero-bordered scratch image first, so every tap reads memory; images are
 * split over the kernel threads.
 *
 * Rounding: sums run in float32 in the kernel's own order (fused multiply-adds
 * where the engine has relaxed SIMD), so results differ from XNNPACK's and
 * cpu's in the last bits. A non-finite value meets the zero border as 0·∞ =
 * NaN where cpu skips the border: the callers hand the forward and input
 * gradient finite filters only, as for the other padded paths.
 */

/** The kernels of `backend`'s heap, or null. */
function convFma(backend: BackendWasm): ConvFma | null {
  const memory = backendMemory(backend);
  return memory ? convFmaFor(memory) : null;
}

/** An NHWC image batch with the zero border a convolution reads, as heap addresses. */
interface PaddedImages {
  address: number;
  height: number;
  width: number;
  /** The scratch tensor to free, or null when the input needed no border. */
  scratch: TensorInfo | null;
}

/**
 * `x` `[N, H, W, C]` with `top`/`left` zero rows/columns before and enough after
 * to make it `height × width` (at least `H + top` × `W + left`).
 */
function padded(
  backend: BackendWasm,
  conv: ConvFma,
  x: TensorInfo,
  top: number,
  left: number,
  minHeight: number,
  minWidth: number,
): PaddedImages {
  const [batch, H, W, C] = x.shape;
  const height = Math.max(minHeight, H + top);
  const width = Math.max(minWidth, W + left);
  if (top === 0 && left === 0 && height === H && width === W) {
    return { address: heapAddress(backend, x.dataId), height, width, scratch: null };
  }
  const scratch = backend.makeOutput([batch, height, width, C], 'float32');
  const address = heapAddress(backend, scratch.dataId);
  const source = heapAddress(backend, x.dataId);
  runOverImages(conv, 'padImages', batch, 0, (n0, n1) => [
    source,
    address,
    n0,
    n1,
    H,
    W,
    C,
    height,
    width,
    top,
    left,
  ]);
  return { address, height, width, scratch };
}

function simpleGeometry(info: backend_util.Conv2DInfo): boolean {
  return (
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.padInfo.top >= 0 &&
    info.padInfo.left >= 0
  );
}

/** `conv2d(x, filter) + bias`, then ReLU when `relu`; `bias` `[O]` or null. */
export function forwardByFma(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  relu: boolean,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inChannels, outChannels, outHeight, outWidth } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sH, strideWidth: sW } = info;
  if (!simpleGeometry(info) || outChannels % 8 !== 0 || outWidth < 4 || outHeight < 1) return null;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (bias && (bias.dtype !== 'float32' || sizeOf(bias) !== outChannels)) return null;
  const conv = convFma(backend);
  if (!conv) return null;
  const images = padded(
    backend,
    conv,
    x,
    info.padInfo.top,
    info.padInfo.left,
    (outHeight - 1) * sH + fh,
    (outWidth - 1) * sW + fw,
  );
  const y = backend.makeOutput([batchSize, outHeight, outWidth, outChannels], 'float32');
  const addresses = {
    P: images.address,
    W: heapAddress(backend, filter.dataId),
    bias: bias ? heapAddress(backend, bias.dataId) : 0,
    Y: heapAddress(backend, y.dataId),
  };
  const multiplyAdds = batchSize * outHeight * outWidth * fh * fw * inChannels * outChannels;
  runOverImages(conv, 'convForward', batchSize, multiplyAdds, (n0, n1) => [
    addresses.P,
    addresses.W,
    addresses.bias,
    addresses.Y,
    n0,
    n1,
    images.height,
    images.width,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    fh,
    fw,
    sH,
    sW,
    relu ? 1 : 0,
  ]);
  if (images.scratch) disposeIntermediate(backend, images.scratch);
  return y;
}

/**
 * `dw` `[fh, fw, C, O]` for `conv2d(x, w)` with upstream gradient `dy`: each
 * thread sums its images into its own buffer, and the buffers are added in
 * thread order (so a result depends on the thread count in its last bits).
 */
export function filterGradientByFma(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inChannels, outChannels, outHeight, outWidth } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sH, strideWidth: sW } = info;
  if (!simpleGeometry(info) || inChannels % 4 !== 0 || outChannels % 8 !== 0) return null;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const conv = convFma(backend);
  if (!conv) return null;
  const images = padded(
    backend,
    conv,
    x,
    info.padInfo.top,
    info.padInfo.left,
    (outHeight - 1) * sH + fh,
    (outWidth - 1) * sW + fw,
  );
  const filterSize = fh * fw * inChannels * outChannels;
  const multiplyAdds = batchSize * outHeight * outWidth * filterSize;
  const threads = partsOverImages(conv, batchSize, multiplyAdds) - 1;
  const dw = backend.makeOutput([fh, fw, inChannels, outChannels], 'float32');
  const partials = threads > 0 ? backend.makeOutput([threads, filterSize], 'float32') : null;
  const dwAddress = heapAddress(backend, dw.dataId);
  const partialAddress = partials ? heapAddress(backend, partials.dataId) : 0;
  const dyAddress = heapAddress(backend, dy.dataId);
  heap(backend).fill(0, dwAddress / 4, dwAddress / 4 + filterSize);
  if (partials)
    heap(backend).fill(0, partialAddress / 4, partialAddress / 4 + threads * filterSize);
  // About 1024 pixels a chunk: a tile's float32 sums stay short, and a chunk's rows stay in cache.
  const chunk = Math.max(1, Math.round(1024 / (outHeight * outWidth)));
  const parts = runOverImages(
    conv,
    'convFilterGradient',
    batchSize,
    multiplyAdds,
    (n0, n1, part) => [
      images.address,
      dyAddress,
      part === 0 ? dwAddress : partialAddress + (part - 1) * filterSize * 4,
      n0,
      n1,
      images.height,
      images.width,
      inChannels,
      outHeight,
      outWidth,
      outChannels,
      fh,
      fw,
      sH,
      sW,
      chunk,
    ],
  );
  if (parts > 1) {
    const view = heap(backend);
    const out = dwAddress / 4;
    for (let part = 1; part < parts; part++) {
      const from = partialAddress / 4 + (part - 1) * filterSize;
      for (let i = 0; i < filterSize; i++) view[out + i] += view[from + i];
    }
  }
  if (partials) disposeIntermediate(backend, partials);
  if (images.scratch) disposeIntermediate(backend, images.scratch);
  return dw;
}

/**
 * `dx` `[N, H, W, C]` for `conv2d(x, w)`, stride 1: the forward kernel on `dy`
 * with the full border (`fh − 1 − top` rows above, …) and the filter rotated
 * by 180° with its channel axes swapped (`w'[a, b, o, c] = w[fh−1−a, fw−1−b, c, o]`).
 * `filter` must be finite (see the file comment).
 */
export function inputGradientByFma(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inChannels, outChannels, inHeight, inWidth } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  if (!simpleGeometry(info) || info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  if (inChannels % 8 !== 0 || inWidth < 4) return null;
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const top = fh - 1 - info.padInfo.top;
  const left = fw - 1 - info.padInfo.left;
  if (top < 0 || left < 0 || info.padInfo.bottom > fh - 1 || info.padInfo.right > fw - 1) {
    return null;
  }
  const conv = convFma(backend);
  if (!conv) return null;
  const rotated = backend.makeOutput([fh, fw, outChannels, inChannels], 'float32');
  {
    const view = heap(backend);
    const from = heapAddress(backend, filter.dataId) / 4;
    const to = heapAddress(backend, rotated.dataId) / 4;
    for (let a = 0; a < fh; a++) {
      for (let b = 0; b < fw; b++) {
        const source = from + ((fh - 1 - a) * fw + (fw - 1 - b)) * inChannels * outChannels;
        const target = to + (a * fw + b) * outChannels * inChannels;
        for (let c = 0; c < inChannels; c++) {
          for (let o = 0; o < outChannels; o++) {
            view[target + o * inChannels + c] = view[source + c * outChannels + o];
          }
        }
      }
    }
  }
  const images = padded(backend, conv, dy, top, left, inHeight + fh - 1, inWidth + fw - 1);
  const dx = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
  const addresses = {
    P: images.address,
    W: heapAddress(backend, rotated.dataId),
    Y: heapAddress(backend, dx.dataId),
  };
  const multiplyAdds = batchSize * inHeight * inWidth * fh * fw * inChannels * outChannels;
  runOverImages(conv, 'convForward', batchSize, multiplyAdds, (n0, n1) => [
    addresses.P,
    addresses.W,
    0,
    addresses.Y,
    n0,
    n1,
    images.height,
    images.width,
    outChannels,
    inHeight,
    inWidth,
    inChannels,
    fh,
    fw,
    1,
    1,
    0,
  ]);
  disposeIntermediate(backend, rotated);
  if (images.scratch) disposeIntermediate(backend, images.scratch);
  return dx;
}

function heap(backend: BackendWasm): Float32Array {
  return new Float32Array(backendMemory(backend)?.buffer as ArrayBuffer);
}

function sizeOf(info: TensorInfo): number {
  return info.shape.reduce((product, size) => product * size, 1);
}
