import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvFma, convFmaFor, partsOverImages, runOverImages } from './conv-fma';
import { backendMemory, heapAddress, heapSimd, zeroTensor } from './heap-simd';
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
export function convFma(backend: BackendWasm): ConvFma | null {
  const memory = backendMemory(backend);
  return memory ? convFmaFor(memory) : null;
}

const SPLIT_COPY_VALUES = 2_000_000;

/** An NHWC image batch with the zero border a convolution reads, as heap addresses. */
export interface PaddedImages {
  address: number;
  height: number;
  width: number;
  /** The scratch tensor to free, or null when the input needed no border. */
  scratch: TensorInfo | null;
}

/**
 * `x` `[N, H, W, C]` with `top`/`left` zero rows/columns before and enough after
 * to make it `height × width` (at least `H + top` × `W + left`), and zero
 * channels after its own up to `channels` (default `C`).
 */
export function padded(
  backend: BackendWasm,
  conv: ConvFma,
  x: TensorInfo,
  top: number,
  left: number,
  minHeight: number,
  minWidth: number,
  channels = x.shape[3],
): PaddedImages {
  const [batch, H, W, C] = x.shape;
  const height = Math.max(minHeight, H + top);
  const width = Math.max(minWidth, W + left);
  if (top === 0 && left === 0 && height === H && width === W && channels === C) {
    return { address: heapAddress(backend, x.dataId), height, width, scratch: null };
  }
  const scratch = backend.makeOutput([batch, height, width, channels], 'float32');
  const address = heapAddress(backend, scratch.dataId);
  const source = heapAddress(backend, x.dataId);
  // A copy is split over the threads from 2 M values (ResNet-20 stage 1: 0.88 → 0.48 ms);
  // below, waking a thread (~0.1 ms) costs more than it saves.
  const split = batch * H * W * C >= SPLIT_COPY_VALUES ? Number.POSITIVE_INFINITY : 0;
  runOverImages(conv, 'padImages', batch, split, (n0, n1) => [
    source,
    address,
    n0,
    n1,
    H,
    W,
    C,
    channels,
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

/**
 * One `convForward` over `batch` images of `images` (addresses `P`, `W`,
 * `bias` or 0, `Y`), split over the threads; `Y`'s rows and pixels `yRow`,
 * `yPixel` bytes apart, its images `yImage` (default `outH · yRow`).
 */
function runForward(
  conv: ConvFma,
  call: {
    P: number;
    W: number;
    bias: number;
    Y: number;
    batch: number;
    images: PaddedImages;
    C: number;
    outH: number;
    outW: number;
    O: number;
    fh: number;
    fw: number;
    sH: number;
    sW: number;
    relu: boolean;
    yRow: number;
    yPixel: number;
    yImage?: number;
  },
): void {
  const { batch, images, C, outH, outW, O, fh, fw } = call;
  const multiplyAdds = batch * outH * outW * fh * fw * C * O;
  runOverImages(conv, 'convForward', batch, multiplyAdds, (n0, n1) => [
    call.P,
    call.W,
    call.bias,
    call.Y,
    n0,
    n1,
    images.height,
    images.width,
    C,
    outH,
    outW,
    O,
    fh,
    fw,
    call.sH,
    call.sW,
    call.relu ? 1 : 0,
    call.yImage ?? outH * call.yRow,
    call.yRow,
    call.yPixel,
  ]);
}

const MIN_FORWARD_CHANNELS = 4;

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
  // Fewer input channels make the kernel's innermost loop (over channels) too short to pay.
  // LeNet-5's conv2 (6 channels) takes it: alone with one input tensor XNNPACK reads 0.21–0.32
  // ms a call, but in a training loop, where every call brings a new input (so XNNPACK rebuilds
  // its indirection buffer) and its pool thread must be woken, 0.57–1.12 ms against 0.26–0.33
  // here (PGD-40 AT step, side by side in one process: 147–158 → 161–165 img/s).
  if (inChannels < MIN_FORWARD_CHANNELS) return null;
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
  runForward(conv, {
    P: images.address,
    W: heapAddress(backend, filter.dataId),
    bias: bias ? heapAddress(backend, bias.dataId) : 0,
    Y: heapAddress(backend, y.dataId),
    batch: batchSize,
    images,
    C: inChannels,
    outH: outHeight,
    outW: outWidth,
    O: outChannels,
    fh,
    fw,
    sH,
    sW,
    relu,
    yRow: outWidth * outChannels * 4,
    yPixel: outChannels * 4,
  });
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
  const { batchSize, outChannels, outHeight, outWidth } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sH, strideWidth: sW } = info;
  const inChannels = roundedChannels(info.inChannels);
  if (!simpleGeometry(info) || inChannels === null || outChannels % 8 !== 0) return null;
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
    inChannels,
  );
  const filterSize = fh * fw * inChannels * outChannels;
  const multiplyAdds = batchSize * outHeight * outWidth * filterSize;
  const threads = partsOverImages(conv, batchSize, multiplyAdds) - 1;
  const dw = backend.makeOutput([fh, fw, inChannels, outChannels], 'float32');
  const partials = threads > 0 ? backend.makeOutput([threads, filterSize], 'float32') : null;
  const dwAddress = heapAddress(backend, dw.dataId);
  const partialAddress = partials ? heapAddress(backend, partials.dataId) : 0;
  const dyAddress = heapAddress(backend, dy.dataId);
  zeroTensor(backend, dw);
  if (partials) zeroTensor(backend, partials);
  // One image a chunk from 64 output pixels up: the chunk's input and dy stay in L1/L2 while all
  // its tiles stream them (ResNet-20 stage 3, 8×8 pixels: 85 GFLOP/s on 2 threads at 1 image a
  // chunk, 70 at 4 images); tiny images are grouped so a tile has some pixels to sum.
  const chunk = Math.max(1, Math.floor(64 / (outHeight * outWidth)));
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
  addPartialSums(backend, dwAddress, partialAddress, parts - 1, filterSize);
  if (partials) disposeIntermediate(backend, partials);
  if (images.scratch) disposeIntermediate(backend, images.scratch);
  return inChannels === info.inChannels ? dw : withoutRoundedChannels(backend, dw, info.inChannels);
}

/**
 * `target[i] += partial_1[i]`, then `+= partial_2[i]`, … for `count` buffers of `size` floats
 * from byte address `partials`, `stride` floats apart (default: one after another) — the
 * threads' own sums of a filter gradient, added in thread order: heap-simd's
 * `binaryElementwise` add where it is linked, else a JavaScript loop, the same additions in the
 * same order either way.
 */
export function addPartialSums(
  backend: BackendWasm,
  target: number,
  partials: number,
  count: number,
  size: number,
  stride = size,
): void {
  const kernels = heapSimd(backend);
  for (let part = 0; part < count; part++) {
    const from = partials + 4 * part * stride;
    if (kernels) {
      kernels.binaryElementwise(0, target, from, target, 0, size);
      continue;
    }
    const view = heap(backend);
    for (let i = 0; i < size; i++) view[target / 4 + i] += view[from / 4 + i];
  }
}

/**
 * Input channels rounded up to a multiple of 4 for the kernels that read them 4 at a time (the
 * extra ones zero), or null where that wastes too much: from 3 channels (an RGB input: a quarter
 * of the products wasted; LeNet-5's 6 channels a quarter too, and the filter gradient still runs
 * ~2× faster than on the planar kernel); 1 or 2 would waste half or more.
 */
export function roundedChannels(C: number): number | null {
  if (C % 4 === 0) return C;
  return C >= 3 ? Math.ceil(C / 4) * 4 : null;
}

/** `dw` `[fh, fw, Cp, O]` (channels rounded up) cut to its first `C` channels; `dw` is freed. */
function withoutRoundedChannels(backend: BackendWasm, dw: TensorInfo, C: number): TensorInfo {
  const [fh, fw, Cp, O] = dw.shape;
  const out = backend.makeOutput([fh, fw, C, O], 'float32');
  const view = heap(backend);
  const from = heapAddress(backend, dw.dataId) / 4;
  const to = heapAddress(backend, out.dataId) / 4;
  for (let tap = 0; tap < fh * fw; tap++) {
    view.copyWithin(to + tap * C * O, from + tap * Cp * O, from + tap * Cp * O + C * O);
  }
  disposeIntermediate(backend, dw);
  return out;
}

/**
 * `dx` `[N, H, W, C]` for `conv2d(x, w)` with stride `s` (no dilation), phase
 * by phase: the rows `i ≡ p (mod s)` and columns `j ≡ q (mod s)` of `dx` only
 * meet the filter taps `a ≡ p + top`, `b ≡ q + left (mod s)`, so each phase is
 * a stride-1 correlation of `dy` with those taps, rotated by 180° and with the
 * channel axes swapped, written to every `s`-th pixel of `dx` by the forward
 * kernel (stride 1: one phase, the whole filter). `dy` gets a zero border as
 * wide as the phases read outside it, which stands for the positions cpu skips.
 * `filter` must be finite (see the file comment).
 */
export function inputGradientByFma(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inChannels: C, outChannels: O, inHeight, inWidth, outHeight, outWidth } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sH, strideWidth: sW } = info;
  const { top, left } = info.padInfo;
  if (!simpleGeometry(info) || C % 8 !== 0) return null;
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const rows = phases(sH, fh, top, inHeight);
  const columns = phases(sW, fw, left, inWidth);
  if (columns.some((phase) => phase.outputs > 0 && phase.outputs < 4)) return null;
  const conv = convFma(backend);
  if (!conv) return null;
  // Zero rows/columns before dy as far as a phase reads above/left of it, and after it as far as
  // one reads below/right: none for a 1×1 filter at stride 2, so dy is read in place, uncopied.
  const used = (p: Phase) => p.taps > 0 && p.outputs > 0;
  const borderH = Math.max(0, ...rows.filter(used).map((r) => -r.offset));
  const borderW = Math.max(0, ...columns.filter(used).map((c) => -c.offset));
  // One past the farthest row a phase reads: its last output row plus its last tap, from its offset.
  const reach = (p: Phase, border: number) => p.outputs + p.taps - 1 + p.offset + border;
  const height = Math.max(...rows.filter(used).map((r) => reach(r, borderH)), outHeight + borderH);
  const width = Math.max(...columns.filter(used).map((c) => reach(c, borderW)), outWidth + borderW);
  const subFilters = backend.makeOutput([fh * fw * O * C], 'float32');
  const dx = backend.makeOutput([batchSize, inHeight, inWidth, C], 'float32');
  const images = padded(backend, conv, dy, borderH, borderW, height, width);
  const view = heap(backend);
  const from = heapAddress(backend, filter.dataId) / 4;
  const subAddress = heapAddress(backend, subFilters.dataId);
  const dxAddress = heapAddress(backend, dx.dataId);
  if (rows.some((r) => r.taps === 0) || columns.some((c) => c.taps === 0)) {
    zeroTensor(backend, dx);
  }
  let next = subAddress / 4;
  for (const row of rows) {
    for (const column of columns) {
      if (row.taps === 0 || column.taps === 0 || row.outputs === 0 || column.outputs === 0)
        continue;
      // w'[t, t', o, c] = w[ra + s·(Ta − 1 − t), rb + s·(Tb − 1 − t'), c, o]
      const sub = next;
      for (let t = 0; t < row.taps; t++) {
        const a = row.firstTap + sH * (row.taps - 1 - t);
        for (let u = 0; u < column.taps; u++) {
          const b = column.firstTap + sW * (column.taps - 1 - u);
          const source = from + (a * fw + b) * C * O;
          for (let c = 0; c < C; c++) {
            for (let o = 0; o < O; o++) view[next + o * C + c] = view[source + c * O + o];
          }
          next += O * C;
        }
      }
      const P =
        images.address + ((row.offset + borderH) * images.width + column.offset + borderW) * O * 4;
      const Y = dxAddress + (row.phase * inWidth + column.phase) * C * 4;
      runForward(conv, {
        P,
        W: sub * 4,
        bias: 0,
        Y,
        batch: batchSize,
        images,
        C: O,
        outH: row.outputs,
        outW: column.outputs,
        O: C,
        fh: row.taps,
        fw: column.taps,
        sH: 1,
        sW: 1,
        relu: false,
        yRow: sH * inWidth * C * 4,
        yPixel: sW * C * 4,
        yImage: inHeight * inWidth * C * 4,
      });
    }
  }
  disposeIntermediate(backend, subFilters);
  if (images.scratch) disposeIntermediate(backend, images.scratch);
  return dx;
}

/** One phase `p` of an axis of the input gradient (stride `s`, filter size `k`, padding `before`, input size `n`). */
interface Phase {
  phase: number;
  /** The first tap `r ≡ p + before (mod s)`, and how many taps `r, r + s, …` there are below `k`. */
  firstTap: number;
  taps: number;
  /** Output positions `p, p + s, …` below `n`. */
  outputs: number;
  /** Where the phase's rotated taps start reading `dy`, relative to its first row (may be negative). */
  offset: number;
}

function phases(s: number, k: number, before: number, n: number): Phase[] {
  return Array.from({ length: s }, (_, phase) => {
    const firstTap = (((phase + before) % s) + s) % s;
    const taps = firstTap < k ? Math.ceil((k - firstTap) / s) : 0;
    const outputs = phase < n ? Math.ceil((n - phase) / s) : 0;
    // dx row s·u + p reads dy row u + (p + before − r)/s − t for tap r + s·t; rotated, t̃ = T − 1 − t.
    const offset = (phase + before - firstTap) / s - taps + 1;
    return { phase, firstTap, taps, outputs, offset };
  });
}

/** A float32 view of the whole heap (take it anew after any allocation: growth detaches it). */
export function heap(backend: BackendWasm): Float32Array {
  return new Float32Array(backendMemory(backend)?.buffer as ArrayBuffer);
}

export function sizeOf(info: TensorInfo): number {
  return info.shape.reduce((product, size) => product * size, 1);
}
