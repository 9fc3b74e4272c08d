import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { heapSimd } from './heap-simd';
import { planarCorrelation } from './planar-correlation';

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
  const [, outH, outW, outC] = dy.shape;
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
  const [top, left] = [fh - 1 - padInfo.top, fw - 1 - padInfo.left];
  if (top + outH > H + fh - 1 || left + outW > rowLength + fw - 1) return null;
  return planarCorrelation(backend, kernels, dy, {
    outH: H,
    outW: W,
    outC: C,
    fh,
    fw,
    top,
    left,
    filter,
    // K[c, o, a', b'] = w[fh − 1 − a', fw − 1 − b', c, o]: the filter rotated by 180°.
    tapIndex: (c, o, a, b) => (((fh - 1 - a) * fw + (fw - 1 - b)) * C + c) * outC + o,
  });
}
