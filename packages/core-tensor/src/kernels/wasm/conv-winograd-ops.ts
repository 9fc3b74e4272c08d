import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvFma, partsOverImages, runOverImages } from './conv-fma';
import { addPartialSums, convFma, heap, roundedChannels, sizeOf } from './conv-fma-ops';
import { heapAddress, zeroHeap } from './heap-simd';
import { disposeIntermediate } from './original-kernels';
import { type WinogradTile, winogradPlanes } from './winograd-filter-transforms';

/**
 * The three convolutions of a training step by Winograd F(2×2, 3×3)
 * (`scripts/conv-winograd-wat.mjs`) for 3×3 stride-1 NHWC float32 filters
 * whose outputs have even height and width (at least 3 input channels, rounded up to 4,
 * and output channels a multiple of 8): 16 multiply-adds per 2×2 tile and
 * channel pair where the direct kernels (`conv-fma-ops.ts`) take 36. All three take
 * F(4×4, 3×3) where the output height and width are multiples of 4 (at least 4 tiles of 4×4): 36 multiply-adds per 4×4 tile, a quarter
 * of the products of F(2×2, 3×3)'s four tiles less, and 36 transformed values moved per 16
 * outputs instead of 64. Each returns null where it does not apply, and the caller runs
 * the direct path.
 *
 * Rounding: the transforms add and subtract a patch's values before the
 * products, so results differ from the direct kernels' in the last bits (a
 * relative error of a few float32 ulps of the largest input in a patch; about ten
 * times that for F(4×4, 3×3), whose transforms weight values by up to 25 and 1/36).
 * Inputs with a NaN or ±∞ take the direct path (the kernels flag them), as do
 * filters with one (the callers' finiteness checks).
 */

let enabled = true;

/**
 * Turns the Winograd kernels off or back on (on by default). While off,
 * 3×3 stride-1 convolutions run on the direct kernels: for side-by-side
 * benchmarks and for bit-level comparisons with the direct path.
 */
export function setConvWinogradEnabled(on: boolean): void {
  enabled = on;
}

let tile4x4Enabled = true;

/**
 * Turns Winograd F(4×4, 3×3) for the forward convolution, the input gradient and the filter
 * gradient off or back on (on by default). While off, those convolutions run F(2×2, 3×3):
 * for side-by-side benchmarks and comparisons of the two tiles.
 */
export function setConvWinograd4x4Enabled(on: boolean): void {
  tile4x4Enabled = on;
}

/** Below this many output tiles an image's products are too short for the 4-row register tile. */
const MIN_TILES = 4;
/** Tiles an F(2×2, 3×3) filter-gradient chunk sums at least (small images are grouped). */
const FILTER_GRADIENT_TILES = 64;
/**
 * Tiles of an F(4×4, 3×3) filter-gradient chunk: its tile-major rows put a plane's values a
 * whole tile (36 rows of channels) apart, and the sums stream every plane's rows again for
 * each 4 × 8 channel block, so the rows of one plane should stay in L1 (32 tiles at 64 × 64
 * channels: 16 KiB of `V` and `Z`). [128, 8, 8, 64]·64, min of 10 calls side by side:
 * 16 / 32 / 64 / 256 tiles 4.3 / 4.3 / 4.9 / 6.0 ms (F(2×2, 3×3) 4.3).
 */
const FILTER_GRADIENT_TILES_4X4 = 32;
/** Floats of a part's check sum, stored first in its scratch. */
const CHECK_FLOATS = 4;
/**
 * Floats at the head of a part's scratch, where the kernels' `check` argument points: the
 * check sum, then 36 vectors of staging through which the F(4×4, 3×3) input and output
 * transforms pass a patch between their column and row passes.
 */
export const WINOGRAD_HEAD_FLOATS = CHECK_FLOATS + 36 * 4;

/** Floats past a scratch image that the kernels' last vector may read (zeroed). */
const IMAGE_TAIL = 4;

/**
 * Rows a forward product call has at least: F(4×4, 3×3) on 8×8 outputs has 4 tiles an
 * image, and each plane of `U` (16 KiB at 64 × 64 channels) would be streamed for one
 * 4-row register tile; a chunk of 4 such images reuses it from L1 4 times.
 */
const FORWARD_TILES = 16;

/**
 * Floats of `planes` transformed planes `[tiles, channels]`, each a cache line longer (the
 * kernels' `pStride`: planes a multiple of 4 KiB apart put a tile's values in one L1 set).
 */
const planesFloats = (planes: number, tiles: number, channels: number) =>
  planes * (tiles * channels + 16);

/**
 * An NHWC batch as the kernels read it: each image padded into a thread's
 * scratch with `top`/`left` zero rows/columns and zeros after, to `Hp × Wp`.
 */
interface PaddedSource {
  address: number;
  batch: number;
  H: number;
  W: number;
  top: number;
  left: number;
  Hp: number;
  Wp: number;
}

/** `x`'s padding to at least `minHeight × minWidth` (the rule of `conv-fma-ops`' `padded`). */
function paddedSource(
  backend: BackendWasm,
  x: TensorInfo,
  top: number,
  left: number,
  minHeight: number,
  minWidth: number,
): PaddedSource {
  const [batch, H, W] = x.shape;
  return {
    address: heapAddress(backend, x.dataId),
    batch,
    H,
    W,
    top,
    left,
    Hp: Math.max(minHeight, H + top),
    Wp: Math.max(minWidth, W + left),
  };
}

/** The arguments `X, …` of a padded source, in the kernels' order after `n0, n1`: `H, W, C, top, left, Hp, Wp`. */
const sourceArgs = (source: PaddedSource, C: number) => [
  source.H,
  source.W,
  C,
  source.top,
  source.left,
  source.Hp,
  source.Wp,
];

interface Tiles {
  /** The output tile's side: F(2×2, 3×3) or F(4×4, 3×3). */
  size: WinogradTile;
  tilesH: number;
  tilesW: number;
  tiles: number;
}

/**
 * The output tiles of a 3×3 stride-1 convolution without dilation, or null where Winograd
 * does not apply: 4×4 where F(4×4, 3×3) is on and both sides are multiples of
 * 4 with at least {@link MIN_TILES} tiles, else 2×2.
 */
function tilesOf(info: backend_util.Conv2DInfo, outH: number, outW: number): Tiles | null {
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  if (!enabled || filterHeight !== 3 || filterWidth !== 3) return null;
  if (strideHeight !== 1 || strideWidth !== 1) return null;
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  if (
    info.padInfo.top < 0 ||
    info.padInfo.left < 0 ||
    info.padInfo.top > 2 ||
    info.padInfo.left > 2
  )
    return null;
  const fours = outH % 4 === 0 && outW % 4 === 0 && (outH / 4) * (outW / 4) >= MIN_TILES;
  if (tile4x4Enabled && fours) {
    return { size: 4, tilesH: outH / 4, tilesW: outW / 4, tiles: (outH / 4) * (outW / 4) };
  }
  if (outH % 2 !== 0 || outW % 2 !== 0) return null;
  const tilesH = outH / 2;
  const tilesW = outW / 2;
  return { size: 2, tilesH, tilesW, tiles: tilesH * tilesW };
}

/** A scratch tensor of `parts` equal regions of `floats` floats each, check sums zeroed. */
function scratchFor(backend: BackendWasm, parts: number, floats: number) {
  const info = backend.makeOutput([parts * floats], 'float32');
  const address = heapAddress(backend, info.dataId);
  /** Zeroes `count` floats at `offset` in every part's region (1.2 MB a call for 64 × 64 channels at F(4×4)). */
  const zero = (offset: number, count: number) => {
    for (let part = 0; part < parts; part++) {
      zeroHeap(backend, address + 4 * (part * floats + offset), 4 * count);
    }
  };
  zero(0, CHECK_FLOATS);
  return {
    info,
    /** Floats from one part's region to the next. */
    partFloats: floats,
    zero,
    /** The byte address of `part`'s region, `offset` floats in. */
    at: (part: number, offset: number) => address + 4 * (part * floats + offset),
    /** Whether every part's check sum is finite (no input was NaN or ±∞). */
    finite: () => {
      const fresh = heap(backend);
      for (let part = 0; part < parts; part++) {
        for (let k = 0; k < CHECK_FLOATS; k++) {
          if (!Number.isFinite(fresh[address / 4 + part * floats + k])) return false;
        }
      }
      return true;
    },
  };
}

/** Floats of `winogradFilterTransform`'s scratch: a 16 × 16 tile's 9 taps and 36 planes. */
const FILTER_TRANSFORM_SCRATCH = 45 * 256;

/** Floats of `winogradFilterGradientBack`'s scratch: 64 filters' 36 planes and 9 taps. */
const FILTER_BACK_SCRATCH = 45 * 64;

/**
 * `U = G g Gᵀ` of `filter` `[3, 3, ·, ·]` (its taps `tap(a, b) + i·inStride + o·outStride`,
 * `tap(a, b)` the start of `w[a, b]`, or of `w[2 − a, 2 − b]` when `rotated`) into `[planes, C4,
 * O]` at byte address `U`: the conv-fma module's `winogradFilterTransform`, bit-identical to
 * `winogradFilter` of `winograd-filter-transforms.ts` (the float64 arithmetic of JavaScript, each value rounded once), which
 * took 0.58 ms a call for 64 × 64 channels at F(4×4, 3×3) in JavaScript.
 */
function transformFilter(
  backend: BackendWasm,
  conv: ConvFma,
  filter: TensorInfo,
  U: number,
  f: {
    C: number;
    O: number;
    C4: number;
    rotated: boolean;
    inStride: number;
    outStride: number;
    tile: WinogradTile;
  },
): void {
  const tapFloats = sizeOf(filter) / 9;
  const scratch = backend.makeOutput([FILTER_TRANSFORM_SCRATCH], 'float32');
  conv.kernels.winogradFilterTransform(
    heapAddress(backend, filter.dataId),
    U,
    heapAddress(backend, scratch.dataId),
    f.C,
    f.O,
    tapFloats,
    f.rotated ? 1 : 0,
    f.inStride,
    f.outStride,
    f.C4,
    f.tile,
  );
  disposeIntermediate(backend, scratch);
}

/**
 * The output `[batch, size·tilesH, size·tilesW, O]` of `winogradForward` (2×2 tiles) or
 * `winogradForward4x4` over all images (threads claim chunks of them, and the kernel takes
 * them {@link FORWARD_TILES} tiles or more at a time), the filter transformed first from the taps
 * `tap(a, b) + c·inStride + o·outStride` of `filter` (`c < C` the input channels; `tap(a, b)`
 * the start of `w[a, b]`, or of `w[2 − a, 2 − b]` when `rotated`);
 * null, with nothing left allocated, when an input was not finite.
 */
function winogradConvolution(
  backend: BackendWasm,
  conv: ConvFma,
  call: {
    source: PaddedSource;
    filter: TensorInfo;
    /** Whether the taps are read rotated by 180° (the input gradient's `w[2 − a, 2 − b]`). */
    rotated: boolean;
    inStride: number;
    outStride: number;
    bias: TensorInfo | null;
    C: number;
    C4: number;
    O: number;
    tiles: Tiles;
    relu: boolean;
  },
): TensorInfo | null {
  const { source, C, C4, O, tiles } = call;
  const batch = source.batch;
  const planes = winogradPlanes(tiles.size);
  const transformed = backend.makeOutput([planes * C4 * O], 'float32');
  const U = heapAddress(backend, transformed.dataId);
  transformFilter(backend, conv, call.filter, U, {
    C,
    O,
    C4,
    rotated: call.rotated,
    inStride: call.inStride,
    outStride: call.outStride,
    tile: tiles.size,
  });
  const [outH, outW] = [tiles.size * tiles.tilesH, tiles.size * tiles.tilesW];
  const y = backend.makeOutput([batch, outH, outW, O], 'float32');
  // The direct kernel's count: the threads' threshold is about the work, not the algorithm.
  const multiplyAdds = batch * outH * outW * 9 * C * O;
  const parts = partsOverImages(conv, batch, multiplyAdds);
  // F(2×2, 3×3) keeps one image at a time (each has at least 4 tiles).
  const chunk = tiles.size === 2 ? 1 : Math.max(1, Math.ceil(FORWARD_TILES / tiles.tiles));
  const imageFloats = source.Hp * source.Wp * C;
  const sFloats = chunk * imageFloats + IMAGE_TAIL;
  const vFloats = planesFloats(planes, chunk * tiles.tiles, C4);
  const mFloats = planesFloats(planes, chunk * tiles.tiles, O);
  const scratch = scratchFor(backend, parts, WINOGRAD_HEAD_FLOATS + sFloats + vFloats + mFloats);
  // A chunk's last vector may read past its last image (channels not a multiple of 4): the
  // next slot's first floats, zero unless an earlier chunk of this call left an image there.
  for (let slot = 1; slot <= chunk; slot++) {
    scratch.zero(WINOGRAD_HEAD_FLOATS + slot * imageFloats, IMAGE_TAIL);
  }
  const vAt = WINOGRAD_HEAD_FLOATS + sFloats;
  const [bias, Y] = [
    call.bias ? heapAddress(backend, call.bias.dataId) : 0,
    heapAddress(backend, y.dataId),
  ];
  const kernel = tiles.size === 2 ? 'winogradForward' : 'winogradForward4x4';
  runOverImages(conv, kernel, batch, multiplyAdds, (n0, n1, part) => [
    source.address,
    U,
    bias,
    Y,
    n0,
    n1,
    ...sourceArgs(source, C),
    tiles.tilesH,
    tiles.tilesW,
    O,
    call.relu ? 1 : 0,
    outH * outW * O * 4,
    outW * O * 4,
    O * 4,
    chunk,
    scratch.at(part, WINOGRAD_HEAD_FLOATS),
    scratch.at(part, vAt),
    scratch.at(part, vAt + vFloats),
    scratch.at(part, 0),
  ]);
  const finite = scratch.finite();
  disposeIntermediate(backend, scratch.info, transformed);
  if (!finite) {
    disposeIntermediate(backend, y);
    return null;
  }
  return y;
}

/** `conv2d(x, filter) + bias`, then ReLU when `relu`, for a finite `filter`; null where Winograd does not apply. */
export function forwardByWinograd(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  relu: boolean,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { inChannels: C, outChannels: O, outHeight, outWidth } = info;
  const tiles = tilesOf(info, outHeight, outWidth);
  const C4 = roundedChannels(C);
  if (!tiles || tiles.tiles < MIN_TILES || C4 === null || O % 8 !== 0) return null;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (bias && (bias.dtype !== 'float32' || sizeOf(bias) !== O)) return null;
  const conv = convFma(backend);
  if (!conv) return null;
  const { top, left } = info.padInfo;
  return winogradConvolution(backend, conv, {
    source: paddedSource(backend, x, top, left, outHeight + 2, outWidth + 2),
    filter,
    // g[a, b, c, o] = filter[a, b, c, o]
    rotated: false,
    inStride: O,
    outStride: 1,
    bias,
    C,
    C4,
    O,
    tiles,
    relu,
  });
}

/**
 * `dx` `[N, H, W, C]` of a 3×3 stride-1 `conv2d(x, w)` for a finite `filter`: the
 * forward Winograd kernel on `dy` with a border of `2 − top` rows and `2 − left`
 * columns, and the filter rotated by 180° with its channel axes swapped,
 * `dx[n, i, j, c] = Σ_{a,b,o} dy'[n, i + a, j + b, o] · w[2 − a, 2 − b, c, o]`.
 */
export function inputGradientByWinograd(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { inChannels: C, outChannels: O, inHeight, inWidth } = info;
  const tiles = tilesOf(info, inHeight, inWidth);
  // dy's channels are the transform's inputs, dx's its outputs.
  const O4 = roundedChannels(O);
  if (!tiles || tiles.tiles < MIN_TILES || O4 === null || C % 8 !== 0) return null;
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const conv = convFma(backend);
  if (!conv) return null;
  const { top, left } = info.padInfo;
  return winogradConvolution(backend, conv, {
    source: paddedSource(backend, dy, 2 - top, 2 - left, inHeight + 2, inWidth + 2),
    filter,
    // g'[a, b, o, c] = w[2 − a, 2 − b, c, o]
    rotated: true,
    inStride: 1,
    outStride: O,
    bias: null,
    C: O,
    C4: O4,
    O: C,
    tiles,
    relu: false,
  });
}

/**
 * `dw` `[3, 3, C, O]` of a 3×3 stride-1 `conv2d(x, w)` with upstream gradient
 * `dy`: each thread sums its fixed range of images in the transformed domain
 * into its own buffer, the buffers are added in thread order, then `Gᵀ · G`
 * (so, as on the direct path, a result depends on the thread count in its last bits).
 * F(4×4, 3×3) (`winogradFilterGradient4x4`, 36 planes) where the output's sides are
 * multiples of 4 with at least 4 tiles of 4×4, as for the forward; else F(2×2, 3×3) (16).
 */
export function filterGradientByWinograd(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inChannels: C, outChannels: O, outHeight, outWidth } = info;
  const tiles = tilesOf(info, outHeight, outWidth);
  const C4 = roundedChannels(C);
  if (!tiles || C4 === null || O % 8 !== 0) return null;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const conv = convFma(backend);
  if (!conv) return null;
  const { top, left } = info.padInfo;
  const source = paddedSource(backend, x, top, left, outHeight + 2, outWidth + 2);
  // The direct kernel's count, as for the forward.
  const multiplyAdds = batchSize * outHeight * outWidth * 9 * C * O;
  const parts = partsOverImages(conv, batchSize, multiplyAdds);
  const chunkTiles = tiles.size === 2 ? FILTER_GRADIENT_TILES : FILTER_GRADIENT_TILES_4X4;
  const chunk = Math.max(1, Math.ceil(chunkTiles / tiles.tiles));
  const count = winogradPlanes(tiles.size);
  const planes = count * C4 * O;
  const sFloats = chunk * source.Hp * source.Wp * C + IMAGE_TAIL;
  // F(4×4, 3×3): tile-major rows, each a cache line longer (the kernel's `vRow`, `zRow`).
  const transformedFloats = (channels: number) =>
    tiles.size === 2
      ? planesFloats(count, chunk * tiles.tiles, channels)
      : chunk * tiles.tiles * (count * channels + 16);
  const vFloats = transformedFloats(C4);
  const zFloats = transformedFloats(O);
  const scratch = scratchFor(
    backend,
    parts,
    WINOGRAD_HEAD_FLOATS + planes + sFloats + vFloats + zFloats,
  );
  const sAt = WINOGRAD_HEAD_FLOATS + planes;
  scratch.zero(sAt + sFloats - IMAGE_TAIL, IMAGE_TAIL);
  scratch.zero(WINOGRAD_HEAD_FLOATS, planes);
  const dyAddress = heapAddress(backend, dy.dataId);
  const kernel = tiles.size === 2 ? 'winogradFilterGradient' : 'winogradFilterGradient4x4';
  runOverImages(conv, kernel, batchSize, multiplyAdds, (n0, n1, part) => [
    source.address,
    dyAddress,
    scratch.at(part, WINOGRAD_HEAD_FLOATS),
    n0,
    n1,
    ...sourceArgs(source, C),
    tiles.tilesH,
    tiles.tilesW,
    O,
    chunk,
    scratch.at(part, sAt),
    scratch.at(part, sAt + sFloats),
    scratch.at(part, sAt + sFloats + vFloats),
    scratch.at(part, 0),
  ]);
  if (!scratch.finite()) {
    disposeIntermediate(backend, scratch.info);
    return null;
  }
  const dw = backend.makeOutput([3, 3, C, O], 'float32');
  const sum = scratch.at(0, WINOGRAD_HEAD_FLOATS);
  if (parts > 1) {
    addPartialSums(
      backend,
      sum,
      scratch.at(1, WINOGRAD_HEAD_FLOATS),
      parts - 1,
      planes,
      scratch.partFloats,
    );
  }
  // Ũ's first C rows of each plane are the filters f = c·O + o, as dw's taps are.
  const backScratch = backend.makeOutput([FILTER_BACK_SCRATCH], 'float32');
  conv.kernels.winogradFilterGradientBack(
    sum,
    heapAddress(backend, dw.dataId),
    heapAddress(backend, backScratch.dataId),
    C * O,
    C4 * O,
    tiles.size,
  );
  disposeIntermediate(backend, backScratch);
  disposeIntermediate(backend, scratch.info);
  return dw;
}
