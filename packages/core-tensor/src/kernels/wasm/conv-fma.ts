import { CONV_FMA_MODULES } from './conv-fma-module';
import { fusedMultiplyAddWanted } from './fused-multiply-add';
import { decodeBase64 } from './heap-simd';
import {
  type KernelThreadFactory,
  type KernelThreads,
  kernelThreadsFor,
  partsFor,
  splitOverImages,
} from './kernel-threads';

/**
 * trustgrad's register-blocked convolution kernels (`conv-fma.wat`, generated
 * by `scripts/conv-fma-wat.mjs`), linked to tfjs-backend-wasm's heap. Every
 * argument is a byte address on the heap or a size. Each kernel works on the
 * images `n0 ≤ n < n1`, so one call can be split over threads by image.
 */
export interface ConvFmaExports {
  /**
   * `Y[n, y, x, o] = act(bias[o] + Σ_{a,b,c} P[n, y·sH + a, x·sW + b, c] · W[a, b, c, o])`,
   * `P` `[N, Hp, Wp, C]` already padded, `W` `[fh, fw, C, O]`; `Y[n, y, x, :]` at byte
   * `Y + n·yImage + y·yRow + x·yPixel` (dense `[N, outH, outW, O]`: `yPixel = 4·O`, …);
   * `O` a multiple of 8, `outW ≥ 4`, `bias` 0 for none, `relu` 1 for `max(·, 0)`.
   */
  convForward(
    P: number,
    W: number,
    bias: number,
    Y: number,
    n0: number,
    n1: number,
    Hp: number,
    Wp: number,
    C: number,
    outH: number,
    outW: number,
    O: number,
    fh: number,
    fw: number,
    sH: number,
    sW: number,
    relu: number,
    yImage: number,
    yRow: number,
    yPixel: number,
  ): void;
  /**
   * `DW[a, b, c, o] += Σ_{n,y,x} P[n, y·sH + a, x·sW + b, c] · DY[n, y, x, o]`,
   * `C` a multiple of 4 and `O` of 8; float32 sums over `chunk` images at a time.
   */
  convFilterGradient(
    P: number,
    DY: number,
    DW: number,
    n0: number,
    n1: number,
    Hp: number,
    Wp: number,
    C: number,
    outH: number,
    outW: number,
    O: number,
    fh: number,
    fw: number,
    sH: number,
    sW: number,
    chunk: number,
  ): void;
  /**
   * `convForward` for a 3×3 stride-1 filter by Winograd F(2×2, 3×3)
   * (`scripts/conv-winograd-wat.mjs`) on the unpadded `X` `[N, H, W, C]`, `chunk` images
   * at a time padded (`top`, `left`, to `Hp × Wp`) into this thread's scratch `S`
   * (`chunk·Hp·Wp·C` floats): `U` `[16, C, O]` the transformed filter,
   * `outH = 2·tilesH`, `outW = 2·tilesW`, at least 4 tiles; `V` and `M` this thread's
   * scratch (`16·(chunk·tiles·C + 16)` and `16·(chunk·tiles·O + 16)` floats); the inputs'
   * check sum is added into the 4 floats at `check` (non-finite when an input was).
   */
  winogradForward: WinogradForward;
  /**
   * {@link ConvFmaExports.winogradForward} by Winograd F(4×4, 3×3): `U` `[36, C, O]`,
   * `outH = 4·tilesH`, `outW = 4·tilesW`, `V` and `M` of 36 planes, tile-major
   * (`36·chunk·tiles·C` and `36·chunk·tiles·O` floats at least).
   */
  winogradForward4x4: WinogradForward;
  /**
   * The 3×3 stride-1 filter gradient in the transformed domain of F(2×2, 3×3):
   * `UW[p, c, o] += Σ (Bᵀ d B)[p, c] · (A dY Aᵀ)[p, o]` over the images' 2×2 tiles
   * (`UW` `[16, C4, O]`, `C4` the input channels rounded up to 4), `chunk` images at a time
   * through `S` (their padded copies, `chunk·Hp·Wp·C` floats), `V` and `Z`
   * (`16·(chunk·tiles·C4 + 16)` and `16·(chunk·tiles·O + 16)` floats); `X` and its padding,
   * and `check`, as for `winogradForward`.
   */
  winogradFilterGradient: WinogradFilterGradient;
  /**
   * {@link ConvFmaExports.winogradFilterGradient} by F(4×4, 3×3): `UW` `[36, C4, O]`,
   * `DY` `[N, 4·tilesH, 4·tilesW, O]`, `V` and `Z` of 36 planes, tile-major
   * (`36·chunk·tiles·C4` and `36·chunk·tiles·O` floats at least).
   */
  winogradFilterGradient4x4: WinogradFilterGradient;
  /**
   * `U = G g Gᵀ` of Winograd F(2×2, 3×3) (`tile` 2) or F(4×4, 3×3) (4) for every 3×3 filter
   * `g_(i,o)[t] = src[T(t) + i·inStride + o·outStride]` (floats; `T(t) = t·tapFloats`, or
   * `(8 − t)·tapFloats` when `reverse`), written `[planes, targetInC, outC]` at `dst` (rows from
   * `inC` zero), through `scratch` (45 · 256 floats); bit-identical to `winogradFilter`.
   */
  winogradFilterTransform(
    src: number,
    dst: number,
    scratch: number,
    inC: number,
    outC: number,
    tapFloats: number,
    reverse: number,
    inStride: number,
    outStride: number,
    targetInC: number,
    tile: number,
  ): void;
  /**
   * `dg[t, f] = (Gᵀ Ũ_f G)[t]` of Winograd F(2×2, 3×3) (`tile` 2, 16 planes) or F(4×4, 3×3)
   * (4, 36) for the filters `f < filters`, `Ũ_f[p] = src[p·planeFloats + f]` (floats), written
   * `[9, filters]` at `dst` through `scratch` (45 · 64 floats); bit-identical to
   * `winogradFilterGradientBack` of `winograd-filter-transforms.ts`.
   */
  winogradFilterGradientBack(
    src: number,
    dst: number,
    scratch: number,
    filters: number,
    planeFloats: number,
    tile: number,
  ): void;
  /**
   * `P[n, top + i, left + j, c] = X[n, i, j, c]` for `c < C`, zero elsewhere (`X` `[N, H, W, C]`,
   * `P` `[N, Hp, Wp, Cp]`, `Cp ≥ C`: channels rounded up for the kernels are zero).
   */
  padImages(
    X: number,
    P: number,
    n0: number,
    n1: number,
    H: number,
    W: number,
    C: number,
    Cp: number,
    Hp: number,
    Wp: number,
    top: number,
    left: number,
  ): void;
}

/** The arguments of both Winograd filter-gradient kernels (see {@link ConvFmaExports.winogradFilterGradient}). */
type WinogradFilterGradient = (
  X: number,
  DY: number,
  UW: number,
  n0: number,
  n1: number,
  H: number,
  W: number,
  C: number,
  top: number,
  left: number,
  Hp: number,
  Wp: number,
  tilesH: number,
  tilesW: number,
  O: number,
  chunk: number,
  S: number,
  V: number,
  Z: number,
  check: number,
) => void;

/** The arguments of both Winograd forward kernels (see {@link ConvFmaExports.winogradForward}). */
type WinogradForward = (
  X: number,
  U: number,
  bias: number,
  Y: number,
  n0: number,
  n1: number,
  H: number,
  W: number,
  C: number,
  top: number,
  left: number,
  Hp: number,
  Wp: number,
  tilesH: number,
  tilesW: number,
  O: number,
  relu: number,
  yImage: number,
  yRow: number,
  yPixel: number,
  chunk: number,
  S: number,
  V: number,
  M: number,
  check: number,
) => void;

/** The kernels of one heap, and the threads that share them. */
export interface ConvFma {
  /** Whether multiply-adds are fused (`f32x4.relaxed_madd`); false on engines without relaxed SIMD. */
  readonly fused: boolean;
  /** The kernels on the calling thread. */
  readonly kernels: ConvFmaExports;
  /** Threads that run them beside the calling one (null: the calling thread alone). */
  readonly threads: KernelThreads | null;
}

const linked = new WeakMap<WebAssembly.Memory, ConvFma | null>();
let enabled = true;

/**
 * Turns the register-blocked kernels off or back on: while off, the callers
 * take their other paths (XNNPACK, the planar kernels). For side-by-side
 * benchmarks in one process, and tests of those paths.
 */
export function setConvFmaEnabled(on: boolean): void {
  enabled = on;
}

/**
 * The convolution kernels linked to `memory` (cached per memory), with a
 * thread pool where the heap is shared and a pool factory is registered; null
 * when the module does not instantiate (no WebAssembly SIMD), and the callers
 * keep their other paths.
 */
export function convFmaFor(memory: WebAssembly.Memory): ConvFma | null {
  if (!enabled) return null;
  const cached = linked.get(memory);
  if (cached !== undefined) return cached;
  const result = linkConvFma(memory, fusedMultiplyAddWanted());
  linked.set(memory, result);
  return result;
}

/**
 * Instantiates the build for `memory` (shared or not, fused or not), its
 * threads made by `makeThreads` (default: the registered factory, on shared
 * heaps only). Exposed for tests.
 */
export function linkConvFma(
  memory: WebAssembly.Memory,
  fused: boolean,
  makeThreads: KernelThreadFactory = kernelThreadsFor,
): ConvFma | null {
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const base64 = fused
    ? shared
      ? CONV_FMA_MODULES.fusedShared
      : CONV_FMA_MODULES.fusedUnshared
    : shared
      ? CONV_FMA_MODULES.unfusedShared
      : CONV_FMA_MODULES.unfusedUnshared;
  try {
    const module = new WebAssembly.Module(decodeBase64(base64));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return {
      fused,
      kernels: instance.exports as unknown as ConvFmaExports,
      threads: makeThreads(module, memory),
    };
  } catch {
    return null;
  }
}

/** Where `n0` and `n1` sit in the arguments of the kernels whose images threads may claim in chunks. */
const CLAIMED_IMAGE_ARGUMENTS: Partial<
  Record<keyof ConvFmaExports, { n0Index: number; n1Index: number }>
> = {
  convForward: { n0Index: 4, n1Index: 5 },
  winogradForward: { n0Index: 4, n1Index: 5 },
  winogradForward4x4: { n0Index: 4, n1Index: 5 },
  padImages: { n0Index: 2, n1Index: 3 },
};

const calls: Record<keyof ConvFmaExports, number> = {
  convForward: 0,
  convFilterGradient: 0,
  padImages: 0,
  winogradForward: 0,
  winogradForward4x4: 0,
  winogradFilterGradient: 0,
  winogradFilterGradient4x4: 0,
  winogradFilterTransform: 0,
  winogradFilterGradientBack: 0,
};

/** How often each kernel ran through {@link runOverImages} in this process (tests check the paths are taken). */
export function convFmaCalls(): Readonly<Record<keyof ConvFmaExports, number>> {
  return { ...calls };
}

/** How many ranges {@link runOverImages} splits `batch` images into (1: the calling thread alone). */
export function partsOverImages(conv: ConvFma, batch: number, multiplyAdds: number): number {
  return partsFor(conv.threads, batch, multiplyAdds);
}

/**
 * Runs `kernel` over the images `[0, batch)`: split into contiguous ranges, one
 * per thread, when there are threads and `multiplyAdds` is worth it; `args(n0, n1, part)`
 * gives the arguments of one range (part 0 is the calling thread's).
 */
export function runOverImages(
  conv: ConvFma,
  kernel: keyof ConvFmaExports,
  batch: number,
  multiplyAdds: number,
  args: (n0: number, n1: number, part: number) => number[],
): number {
  calls[kernel] += 1;
  const own = conv.kernels[kernel] as (...values: number[]) => void;
  // Forward and border copies give the same bits whichever thread runs an image, so threads
  // claim chunks of images; the filter gradient keeps fixed ranges (each thread sums its own).
  const claimedAt = CLAIMED_IMAGE_ARGUMENTS[kernel];
  const parts = splitOverImages(conv.threads, own, kernel, batch, multiplyAdds, args, claimedAt);
  return parts;
}
