import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { heapAddress, heapSimd } from './heap-simd';
import { heapSimdThreads } from './heap-simd-threads';
import { splitOverImages } from './kernel-threads';
import { disposeIntermediate } from './original-kernels';

/**
 * Largest `inC · outC` the direct kernel takes. XNNPACK runs a conv gradient
 * with few channels far below peak (LeNet-5 conv1, `inC = 1`, `outC = 6`:
 * 0.4–1.7 GFLOP/s); with more channels its GEMM blocking beats this kernel.
 * `bench/conv-gradient-kernels.ts`, direct/XNNPACK speed-up with 1 XNNPACK
 * thread (load ≈ 13) and with 2 (load ≈ 4): 1·6 (5×5) 21× / 5.6×, 1·32 (3×3)
 * 1.6× / 1.5×, 4·8 1.3× / 1.7×, 4·16 1.2× / 2.9×, but 8·16 0.71× / 1.9×,
 * 6·16 (5×5, LeNet-5 conv2) 0.18× / 1.3×, 16·16 0.55× / 1.4×, 32·64 0.59× / 0.44×;
 * and in the LeNet-5 profile conv2's input gradient took 2.05 ms a call
 * direct against 1.16 by XNNPACK. So up to 64: where it wins on one thread too.
 */
export const PLANAR_CHANNEL_PRODUCT_LIMIT = 64;

/**
 * Largest `inC · outC` when `inC` is a multiple of 3: then `planarCorrelate3q`
 * computes three input channels' gradients per pass, loading each `dy` row once
 * for nine multiply-adds, which takes LeNet-5's conv2 (6·16) from XNNPACK: 1.44
 * ms a call against XNNPACK's 0.74 back to back, but XNNPACK pays its pool's
 * wake-up inside a PGD step (1.2 ms a call there), and side by side the
 * LeNet-5 AT step went 237 → 215 ms and 231 → 202 ms (2 runs, 2026-12-02).
 */
export const PLANAR_3Q_CHANNEL_PRODUCT_LIMIT = 96;

/**
 * From this many multiply-adds the planar input gradient splits its images over the
 * threads. LeNet-5's conv2 (`[32,8,8,16]·[5,5,6,16]`, 11 M) took 46 ms over a PGD-40 step's
 * 41 calls split, against 23 ms on the calling thread (its pool thread wakes between the
 * step's small kernels); the CIFAR ResNet stem (57 M) went 10.2 → 6.8 ms a call.
 */
export const PLANAR_SPLIT_MULTIPLY_ADDS = 32_000_000;

let splitCalls = 0;

/** How many of this path's kernel calls ran split over the threads in this process (tests check the split is taken). */
export function planarInputGradientSplitCalls(): number {
  return splitCalls;
}

/**
 * `Conv2DBackpropInput` (stride 1, no dilation) by trustgrad's direct SIMD
 * kernel `planarCorrelate`, for the small channel counts where XNNPACK's
 * GEMM is badly shaped: `dy` is laid out as zero-bordered channel planes
 * `P[n, o, pt + i, pl + j] = dy[n, i, j, o]` (`pt = fh − 1 − padTop`,
 * `pl = fw − 1 − padLeft`), the filter as rotated taps
 * `K[c, o, a', b'] = w[fh − 1 − a', fw − 1 − b', c, o]`, and
 *
 * `dx[n, y, x, c] = Σ_{o,a',b'} P[n, o, y + a', x + b'] · K[c, o, a', b']`,
 *
 * which is `Σ_{a,b,o} dy[n, y + padTop − a, x + padLeft − b, o] · w[a, b, c, o]`
 * with out-of-range `dy` read as 0. Rows are computed `Wq = ⌈inW/4⌉·4` wide.
 *
 * Returns null (the caller runs another path) unless: float32, stride and
 * dilation 1, every pad ≤ filter size − 1, `inC · outC` ≤
 * `channelProductLimit` (default {@link PLANAR_CHANNEL_PRODUCT_LIMIT}; the
 * kernel benchmark lifts it) and the SIMD module is linked. The
 * caller must hand it finite filters only: a NaN or ±∞ tap times a zero of
 * the border would give NaN where the cpu kernel, which skips out-of-range
 * `dy`, gives a number.
 */
export function planarInputGradient(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  channelProductLimit = PLANAR_CHANNEL_PRODUCT_LIMIT,
): TensorInfo | null {
  const [batch, outH, outW, outC] = dy.shape;
  const { inHeight: H, inWidth: W, inChannels: C } = info;
  const { filterHeight: fh, filterWidth: fw, padInfo } = info;
  const fits =
    dy.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    C * outC <=
      (C % 3 === 0
        ? Math.max(channelProductLimit, PLANAR_3Q_CHANNEL_PRODUCT_LIMIT)
        : channelProductLimit) &&
    padInfo.top <= fh - 1 &&
    padInfo.bottom <= fh - 1 &&
    padInfo.left <= fw - 1 &&
    padInfo.right <= fw - 1 &&
    padInfo.top >= 0 &&
    padInfo.left >= 0;
  if (!fits) return null;
  const kernels = heapSimd(backend);
  if (!kernels) return null;
  const rowLength = Math.ceil(W / 4) * 4;
  const [paddedH, paddedW] = [H + fh - 1, rowLength + fw - 1];
  const [top, left] = [fh - 1 - padInfo.top, fw - 1 - padInfo.left];
  if (top + outH > paddedH || left + outW > paddedW) return null;

  const planes = backend.makeOutput([batch, outC, paddedH, paddedW], 'float32');
  const taps = backend.makeOutput([C, outC, fh, fw], 'float32');
  const dx = backend.makeOutput([batch, H, W, C], 'float32');
  // One channel and rows already a multiple of 4 wide: the planes are dx itself.
  const inPlace = C === 1 && rowLength === W;
  const planar = inPlace ? dx : backend.makeOutput([batch, C, H, rowLength], 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  (backend.typedArrayFromHeap(planes) as Float32Array).fill(0);
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  const k = backend.typedArrayFromHeap(taps) as Float32Array;
  let t = 0;
  for (let c = 0; c < C; c++) {
    for (let o = 0; o < outC; o++) {
      for (let a = fh - 1; a >= 0; a--) {
        for (let b = fw - 1; b >= 0; b--) k[t++] = w[((a * fw + b) * C + c) * outC + o];
      }
    }
  }
  const at = (x: TensorInfo) => heapAddress(backend, x.dataId);
  // Images split over the heap-simd threads from PLANAR_SPLIT_MULTIPLY_ADDS (the CIFAR ResNet
  // stem's input gradient, [128,32,32,16]·[3,3,3,16], 57 M); LeNet-5's stay on the calling thread.
  const threads = heapSimdThreads(backend);
  const work = batch * H * W * fh * fw * C * outC;
  const multiplyAdds = work >= PLANAR_SPLIT_MULTIPLY_ADDS ? work : 0;
  const byImage = (
    name: 'toPlanes' | 'planarCorrelate' | 'planarCorrelate3q' | 'fromPlanes',
    args: (n0: number, count: number) => number[],
  ) => {
    const parts = splitOverImages(
      threads,
      kernels[name] as (...values: number[]) => void,
      name,
      batch,
      multiplyAdds,
      (n0, n1) => args(n0, n1 - n0),
    );
    if (parts > 1) splitCalls++;
  };
  const dyImage = outH * outW * outC * 4;
  const planesImage = outC * paddedH * paddedW * 4;
  const planarImage = C * H * rowLength * 4;
  byImage('toPlanes', (n0, count) => [
    at(dy) + n0 * dyImage,
    at(planes) + n0 * planesImage,
    count,
    outH,
    outW,
    outC,
    paddedH,
    paddedW,
    top,
    left,
  ]);
  const args = (n0: number, count: number) => [
    at(planes) + n0 * planesImage,
    at(taps),
    at(planar) + n0 * planarImage,
    count,
    outC,
    C,
    H,
    rowLength,
    paddedH,
    paddedW,
    fh,
    fw,
  ];
  if (C % 3 === 0) {
    // Three input channels per pass (the same sums, bit for bit), skipping the taps
    // that read the zero rows above and below dy (a third of conv2's in LeNet-5).
    byImage('planarCorrelate3q', (n0, count) => [...args(n0, count), top, top + outH]);
  } else {
    byImage('planarCorrelate', args);
  }
  if (!inPlace) {
    byImage('fromPlanes', (n0, count) => [
      at(planar) + n0 * planarImage,
      at(dx) + n0 * H * W * C * 4,
      count,
      H,
      W,
      C,
      rowLength,
    ]);
    disposeIntermediate(backend, planar);
  }
  disposeIntermediate(backend, planes, taps);
  return dx;
}
