import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropFilterInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import { filterGradientByFma } from './conv-fma-ops';
import { filterGradientConvolution } from './conv-gradient-geometry';
import { filterGradientByWinograd } from './conv-winograd-ops';
import { heapAddress, heapSimd, zeroTensor } from './heap-simd';
import { disposeIntermediate, reshapeInfo, runOriginal, transposeInfo } from './original-kernels';

/**
 * `Conv2DBackpropFilter` for wasm (tfjs-backend-wasm ships none): the gradient
 * of `conv2d(x, w)` with respect to `w` `[fh, fw, inC, outC]`,
 *
 * `dw[a, b, c, o] = Σ_{n,i,j} x[n, i·s + a·d − top, j·s + b·d − left, c] · dy[n, i, j, o]`,
 *
 * computed as one XNNPACK `Conv2D` in which the batch becomes the channel axis:
 * input `x` as `[inC, inH, inW, batch]`, filter `dy` as `[outH, outW, batch, outC]`,
 * stride = the forward dilation, dilation = the forward stride; the result
 * `[inC, fh, fw, outC]` is transposed back.
 */
function conv2dBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const channelsLast = dataFormat !== 'NCHW';
  const xNhwc = channelsLast ? x : transposeInfo(backend, x, [0, 2, 3, 1]);
  const dyNhwc = channelsLast ? dy : transposeInfo(backend, dy, [0, 2, 3, 1]);
  const info = backend_util.computeConv2DInfo(
    xNhwc.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const dw =
    filterGradientByWinograd(backend, xNhwc, dyNhwc, info) ??
    filterGradientByFma(backend, xNhwc, dyNhwc, info) ??
    filterGradientByPlanes(backend, xNhwc, dyNhwc, info) ??
    filterGradientWithoutPlanes(backend, xNhwc, dyNhwc, info);
  if (!channelsLast) disposeIntermediate(backend, xNhwc, dyNhwc);
  return dw;
}

/**
 * `dw` by the paths for more channels or other strides (NHWC `x` and `dy`):
 * im2col for few filter rows, the input as the filter where it is the smaller
 * operand, else one XNNPACK convolution with the batch as the channel axis.
 * Exported for the kernel benchmark and tests, which compare it with
 * {@link filterGradientByPlanes} on the same shapes.
 */
export function filterGradientWithoutPlanes(
  backend: BackendWasm,
  xNhwc: TensorInfo,
  dyNhwc: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  if (prefersPatches(info)) {
    return (
      filterGradientByPatchesSimd(backend, xNhwc, dyNhwc, info) ??
      filterGradientByPatches(backend, xNhwc, dyNhwc, info)
    );
  }
  if (prefersInputAsFilter(info))
    return filterGradientWithInputAsFilter(backend, xNhwc, dyNhwc, info);
  const xByChannel = transposeInfo(backend, xNhwc, [3, 1, 2, 0]);
  const dyAsFilter = transposeInfo(backend, dyNhwc, [1, 2, 0, 3]);
  const dwByChannel = filterGradientConvolution(backend, 'Conv2D', xByChannel, dyAsFilter, info);
  const dw = transposeInfo(backend, dwByChannel, [1, 2, 0, 3]);
  disposeIntermediate(backend, xByChannel, dyAsFilter, dwByChannel);
  return dw;
}

/**
 * Few filter rows (`fh·fw·inC`, e.g. the first conv of a network on 1–3
 * channel images) make the conv formulation a badly shaped GEMM (9 output
 * pixels): an im2col matrix product is then faster (FMNIST conv1, batch 64:
 * 10.7 vs 16.8 ms). Measured on `[64, 28, 28, c]` inputs with 3×3 filters:
 * im2col wins up to c = 8 (72 rows); from c = 16 on the two are level or the
 * conv wins (JavaScript builds the im2col matrix).
 */
const PATCH_ROWS_LIMIT = 72;

function prefersPatches(info: backend_util.Conv2DInfo): boolean {
  return info.filterHeight * info.filterWidth * info.inChannels <= PATCH_ROWS_LIMIT;
}

/**
 * `dw` as one XNNPACK matrix product `Pᵀ·dy`: `Pᵀ` `[fh·fw·inC, batch·outH·outW]`
 * holds, for every filter tap `(a, b)` and input channel `c`, the input pixels
 * that tap sees, `Pᵀ[(a·fw + b)·inC + c, (n·outH + i)·outW + j] = x[n, i·s + a·d − top, j·s + b·d − left, c]`
 * (0 in the padding); `dy` is `[batch·outH·outW, outC]`. `Pᵀ` is written in
 * one JavaScript pass over the channel-first input, straight on the wasm heap
 * (tfjs-backend-wasm's `Slice` copies its whole input per call).
 */
function filterGradientByPatches(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight: sH, strideWidth: sW } = info;
  const { dilationHeight: dH, dilationWidth: dW } = info;
  const { top, left } = info.padInfo;
  const rows = filterHeight * filterWidth * inChannels;
  const pixels = batchSize * outHeight * outWidth;
  const channelFirst = transposeInfo(backend, x, [3, 0, 1, 2]);
  const patchesT = backend.makeOutput([1, rows, pixels], 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const out = backend.typedArrayFromHeap(patchesT) as Float32Array;
  const src = backend.typedArrayFromHeap(channelFirst) as Float32Array;
  let o = 0;
  for (let a = 0; a < filterHeight; a++) {
    for (let b = 0; b < filterWidth; b++) {
      const colOffset = b * dW - left;
      // Output columns j whose input column j·s + colOffset lies inside the image.
      const jFrom = Math.min(outWidth, Math.max(0, Math.ceil(-colOffset / sW)));
      const jTo = Math.max(
        jFrom,
        Math.min(outWidth, Math.floor((inWidth - 1 - colOffset) / sW) + 1),
      );
      for (let c = 0; c < inChannels; c++) {
        for (let n = 0; n < batchSize; n++) {
          const image = (c * batchSize + n) * inHeight * inWidth;
          for (let i = 0; i < outHeight; i++) {
            const r = i * sH + a * dH - top;
            if (r < 0 || r >= inHeight) {
              out.fill(0, o, o + outWidth);
              o += outWidth;
              continue;
            }
            const row = image + r * inWidth + colOffset;
            let j = 0;
            for (; j < jFrom; j++) out[o++] = 0;
            for (; j < jTo; j++) out[o++] = src[row + j * sW];
            for (; j < outWidth; j++) out[o++] = 0;
          }
        }
      }
    }
  }
  const dy2d = reshapeInfo(backend, dy, [1, pixels, outChannels]);
  const product = runOriginal(
    'BatchMatMul',
    backend,
    { a: patchesT, b: dy2d },
    { transposeA: false, transposeB: false },
  );
  const dw = reshapeInfo(backend, product, [filterHeight, filterWidth, inChannels, outChannels]);
  disposeIntermediate(backend, channelFirst, patchesT, dy2d, product);
  return dw;
}

/** Pixels summed in float32 before each partial sum joins the float64 total. */
const PATCH_CHUNK = 512;

/**
 * `dw` without XNNPACK, whose matrix product would repack the whole of `dy`
 * (50 176 × 32 values for FMNIST conv1) on every call: the patch matrix
 * `P[p, (a·fw + b)·inC + c] = x[n, i·s + a·d − top, j·s + b·d − left, c]`
 * (pixel `p = (n·outH + i)·outW + j`, 0 in the padding) is written in one
 * JavaScript pass on the heap, then trustgrad's SIMD kernel accumulates
 * `dw[row, o] = Σ_p P[p, row] · dy[p, o]` 4 output channels at a time, in
 * float32 over chunks of {@link PATCH_CHUNK} pixels and float64 across them
 * (FMNIST conv1, batch 64: ~9.4 → ~4 ms). Null (caller falls back) when the
 * kernels are unavailable or `outC` is not a multiple of 4.
 */
function filterGradientByPatchesSimd(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth } = info;
  if (outChannels % 4 !== 0 || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const kernels = heapSimd(backend);
  if (!kernels) return null;
  const { filterHeight, filterWidth, strideHeight: sH, strideWidth: sW } = info;
  const { dilationHeight: dH, dilationWidth: dW } = info;
  const { top, left } = info.padInfo;
  const rows = filterHeight * filterWidth * inChannels;
  const pixels = batchSize * outHeight * outWidth;
  const patches = backend.makeOutput([pixels, rows], 'float32');
  const partial = backend.makeOutput([rows, outChannels], 'float32');
  const dw = backend.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const out = backend.typedArrayFromHeap(patches) as Float32Array;
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const partialValues = backend.typedArrayFromHeap(partial) as Float32Array;
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        for (let a = 0; a < filterHeight; a++) {
          const r = i * sH + a * dH - top;
          const rowInside = r >= 0 && r < inHeight;
          for (let b = 0; b < filterWidth; b++) {
            const col = j * sW + b * dW - left;
            if (!rowInside || col < 0 || col >= inWidth) {
              for (let c = 0; c < inChannels; c++) out[o++] = 0;
              continue;
            }
            const at = ((n * inHeight + r) * inWidth + col) * inChannels;
            for (let c = 0; c < inChannels; c++) out[o++] = src[at + c];
          }
        }
      }
    }
  }
  const total = new Float64Array(rows * outChannels);
  const [pAt, dyAt, partialAt] = [patches, dy, partial].map((t) => heapAddress(backend, t.dataId));
  for (let p0 = 0; p0 < pixels; p0 += PATCH_CHUNK) {
    partialValues.fill(0);
    kernels.accumulateOuter(
      pAt,
      dyAt,
      partialAt,
      p0,
      Math.min(pixels, p0 + PATCH_CHUNK),
      rows,
      outChannels,
    );
    for (let k = 0; k < total.length; k++) total[k] += partialValues[k];
  }
  (backend.typedArrayFromHeap(dw) as Float32Array).set(total);
  disposeIntermediate(backend, patches, partial);
  return dw;
}

/**
 * Largest `inC · outC` {@link filterGradientByPlanes} takes, and up to twice
 * that for outputs of at least {@link PLANAR_FILTER_LARGE_OUTPUT} pixels. The
 * direct kernel forms each product once with no repacking but runs on one
 * thread; XNNPACK's GEMM paths use the pool and win once channels are many.
 * `bench/conv-gradient-kernels.ts` (2 XNNPACK threads, AMD EPYC, 2026-12-02),
 * planar against the other paths: LeNet-5 conv1 1·6 (5×5) 4.2×, conv2 6·16
 * (5×5) 1.9×, FMNIST CNN conv1 1·32 1.9×, 4·16 1.7×, 8·16 1.7×, ResNet-20's
 * stem 3·16 1.5× and stage 1 16·16 at 32×32 1.3×; but 16·16 at 14×14 0.65×,
 * 32·32 at 16×16 0.9×, 16·32 (5×5) 0.64×, 32·64 0.61×, 64·64 0.52×.
 */
export const PLANAR_FILTER_CHANNEL_PRODUCT_LIMIT = 128;

/** Output pixels (`outH · outW`) from which {@link filterGradientByPlanes} takes up to twice {@link PLANAR_FILTER_CHANNEL_PRODUCT_LIMIT}. */
export const PLANAR_FILTER_LARGE_OUTPUT = 1024;

/**
 * `dw` for a stride-1, undilated convolution with few channels, by trustgrad's
 * SIMD kernels `planarFilterGradient3`/`5` (taps 3 or 5 at a time): `x` as zero-bordered channel planes
 * `P[n, c, top + r, left + q] = x[n, r, q, c]`, `dy` as planes
 * `D[n, o, i, j] = dy[n, i, j, o]`, and
 *
 * `dw[a, b, c, o] = Σ_{n,i,j} P[n, c, i + a, j + b] · D[n, o, i, j]`,
 *
 * summed in float32 over chunks of about {@link PATCH_CHUNK} output pixels
 * (whole images) and in float64 across chunks. No product with a column
 * past the output is formed, so a non-finite input gives ±∞/NaN exactly where
 * cpu's does; a non-finite `dy` entry meets the zero border of a padded input
 * (0·∞ = NaN) where cpu skips the border, as in the im2col and XNNPACK paths. Null (caller runs another path) unless float32, stride
 * and dilation 1, pads ≥ 0, `inC · outC` ≤ `channelProductLimit` (default
 * {@link PLANAR_FILTER_CHANNEL_PRODUCT_LIMIT}; twice that on large outputs)
 * and the SIMD module is linked.
 */
export function filterGradientByPlanes(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  channelProductLimit = PLANAR_FILTER_CHANNEL_PRODUCT_LIMIT,
): TensorInfo | null {
  const { batchSize: N, inChannels: C, inHeight, inWidth, outChannels: O } = info;
  const { outHeight: outH, outWidth: outW, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const fits =
    x.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    C * O <= channelProductLimit * (outH * outW >= PLANAR_FILTER_LARGE_OUTPUT ? 2 : 1) &&
    top >= 0 &&
    left >= 0;
  if (!fits) return null;
  // The kernel reads taps `group` at a time: rows must hold outW + group·⌈fw/group⌉ − 1 floats.
  const group = fw <= 3 ? 3 : 5;
  const paddedH = outH + fh - 1;
  const paddedW = Math.max(outW + Math.ceil(fw / group) * group - 1, left + inWidth);
  if (top + inHeight > paddedH) return null;
  const kernels = heapSimd(backend);
  if (!kernels) return null;
  const planes = backend.makeOutput([N, C, paddedH, paddedW], 'float32');
  const gradientPlanes = backend.makeOutput([N, O, outH, outW], 'float32');
  const partial = backend.makeOutput([O, C, fh, fw], 'float32');
  const dw = backend.makeOutput([fh, fw, C, O], 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  zeroTensor(backend, planes);
  const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
  kernels.toPlanes(at(x), at(planes), N, inHeight, inWidth, C, paddedH, paddedW, top, left);
  kernels.toPlanes(at(dy), at(gradientPlanes), N, outH, outW, O, outH, outW, 0, 0);
  const partialValues = backend.typedArrayFromHeap(partial) as Float32Array;
  const total = new Float64Array(partialValues.length);
  const imagesPerChunk = Math.max(1, Math.floor(PATCH_CHUNK / (outH * outW)));
  // 3 taps and an even O: two output channels per pass (the same sums, bit for bit).
  const kernel =
    group === 3
      ? O % 2 === 0
        ? kernels.planarFilterGradient3x2
        : kernels.planarFilterGradient3
      : kernels.planarFilterGradient5;
  for (let n0 = 0; n0 < N; n0 += imagesPerChunk) {
    kernel(
      at(planes),
      at(gradientPlanes),
      at(partial),
      n0,
      Math.min(N, n0 + imagesPerChunk),
      C,
      O,
      outH,
      outW,
      paddedH,
      paddedW,
      fh,
      fw,
    );
    for (let k = 0; k < total.length; k++) total[k] += partialValues[k];
  }
  const out = backend.typedArrayFromHeap(dw) as Float32Array;
  let k = 0;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      for (let a = 0; a < fh; a++) {
        for (let b = 0; b < fw; b++) out[((a * fw + b) * C + c) * O + o] = total[k++];
      }
    }
  }
  disposeIntermediate(backend, planes, gradientPlanes, partial);
  return dw;
}

/**
 * XNNPACK repacks a conv's filter on every call, and here the "filter" is a
 * fresh activation tensor: the smaller of `x` and `dy` should play it. At
 * stride 1 with `x` smaller than `dy` (more output than input channels, e.g.
 * FMNIST conv2 32→64: 400k vs 800k values), `x` becomes the filter
 * (conv2 filter gradient, batch 64: ~27 → ~24 ms).
 */
function prefersInputAsFilter(info: backend_util.Conv2DInfo): boolean {
  const { padTop, padBottom, padLeft, padRight } = inputAsFilterPads(info);
  return (
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inHeight * info.inWidth * info.inChannels <
      info.outHeight * info.outWidth * info.outChannels &&
    padTop >= 0 &&
    padBottom >= 0 &&
    padLeft >= 0 &&
    padRight >= 0
  );
}

function inputAsFilterPads(info: backend_util.Conv2DInfo) {
  const { top, left } = info.padInfo;
  return {
    padTop: info.filterHeight - 1 - top,
    padBottom: info.inHeight - info.outHeight + top,
    padLeft: info.filterWidth - 1 - left,
    padRight: info.inWidth - info.outWidth + left,
  };
}

/**
 * Stride 1: with `a' = fh − 1 − a`, `b' = fw − 1 − b`,
 * `dw[a, b, c, o] = Σ_{n,p,q} dyᵀ[o, a' + p − (fh − 1 − top), b' + q − (fw − 1 − left), n] · xᵀ[p, q, n, c]`,
 * one XNNPACK `Conv2D` of `dy` as `[outC, outH, outW, batch]` with `x` as the
 * filter `[inH, inW, batch, inC]`, whose `[outC, fh, fw, inC]` result is
 * flipped in both spatial axes and transposed back.
 */
function filterGradientWithInputAsFilter(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { padTop, padBottom, padLeft, padRight } = inputAsFilterPads(info);
  const dyByChannel = transposeInfo(backend, dy, [3, 1, 2, 0]);
  const xAsFilter = transposeInfo(backend, x, [1, 2, 0, 3]);
  const flipped = runOriginal(
    'Conv2D',
    backend,
    { x: dyByChannel, filter: xAsFilter },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
      dilations: [1, 1],
      dataFormat: 'NHWC',
    },
  );
  const byOutChannel = runOriginal('Reverse', backend, { x: flipped }, { dims: [1, 2] });
  const dw = transposeInfo(backend, byOutChannel, [1, 2, 3, 0]);
  disposeIntermediate(backend, dyByChannel, xAsFilter, flipped, byOutChannel);
  return dw;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
