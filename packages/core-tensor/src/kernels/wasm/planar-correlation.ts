import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type HeapSimd, heapAddress, zeroTensor } from './heap-simd';
import { heapSimdThreads } from './heap-simd-threads';
import { splitOverImages } from './kernel-threads';
import { disposeIntermediate } from './original-kernels';

/**
 * From this many multiply-adds a planar correlation splits its images over the
 * threads. LeNet-5's conv2 input gradient (`[32,8,8,16]·[5,5,6,16]`, 11 M) took
 * 46 ms over a PGD-40 step's 41 calls split, against 23 ms on the calling thread
 * (its pool thread wakes between the step's small kernels); the CIFAR ResNet
 * stem's (57 M) went 10.2 → 6.8 ms a call.
 */
export const PLANAR_SPLIT_MULTIPLY_ADDS = 32_000_000;

let splitCalls = 0;

/** How many planar-correlation kernel calls ran split over the threads in this process (tests check the split is taken). */
export function planarCorrelationSplitCalls(): number {
  return splitCalls;
}

/** The output and taps of one {@link planarCorrelation}. */
export interface PlanarCorrelationGeometry {
  /** The output's height, width and channels (NHWC). */
  outH: number;
  outW: number;
  outC: number;
  fh: number;
  fw: number;
  /** Where the source's first row and column sit in its zero-bordered planes. */
  top: number;
  left: number;
  filter: TensorInfo;
  /** The index in `filter` of tap `K[q, p, a, b]` (output channel `q`, source channel `p`). */
  tapIndex: (q: number, p: number, a: number, b: number) => number;
}

/**
 * `out[n, y, x, q] = Σ_{p,a,b} S'[n, p, y + a, x + b] · K[q, p, a, b]` by
 * trustgrad's direct SIMD kernel `planarCorrelate` (`heap-simd.wat`), where
 * `S'` is the NHWC `source` laid out as channel planes with `top`/`left` zero
 * rows/columns before it and zeros after: the small-channel convolutions whose
 * GEMM XNNPACK blocks badly (the input gradient of {@link planarInputGradient},
 * the one-channel forward of {@link planarForward}). Rows are computed
 * `⌈outW/4⌉·4` wide; `outC` a multiple of 3 takes `planarCorrelate3q` (three
 * output planes a pass, skipping the taps that read the zero rows above and
 * below the source), other counts with at least 3 output rows and 2 tap rows
 * `planarCorrelate3r` (three output rows a pass, the same skipping). The caller
 * checks the geometry (`top + sourceH ≤ outH + fh − 1`, the same for columns)
 * and hands finite taps only.
 */
export function planarCorrelation(
  backend: BackendWasm,
  kernels: HeapSimd,
  source: TensorInfo,
  g: PlanarCorrelationGeometry,
): TensorInfo {
  const [batch, sourceH, sourceW, sourceC] = source.shape;
  const { outH: H, outW: W, outC: C, fh, fw, top, left } = g;
  const rowLength = Math.ceil(W / 4) * 4;
  const [paddedH, paddedW] = [H + fh - 1, rowLength + fw - 1];
  const planes = backend.makeOutput([batch, sourceC, paddedH, paddedW], 'float32');
  const taps = backend.makeOutput([C, sourceC, fh, fw], 'float32');
  const out = backend.makeOutput([batch, H, W, C], 'float32');
  // One channel and rows already a multiple of 4 wide: the planes are the output itself.
  const inPlace = C === 1 && rowLength === W;
  const planar = inPlace ? out : backend.makeOutput([batch, C, H, rowLength], 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  zeroTensor(backend, planes);
  const w = backend.typedArrayFromHeap(g.filter) as Float32Array;
  const k = backend.typedArrayFromHeap(taps) as Float32Array;
  let t = 0;
  for (let q = 0; q < C; q++) {
    for (let p = 0; p < sourceC; p++) {
      for (let a = 0; a < fh; a++) {
        for (let b = 0; b < fw; b++) k[t++] = w[g.tapIndex(q, p, a, b)];
      }
    }
  }
  const at = (x: TensorInfo) => heapAddress(backend, x.dataId);
  // Images split over the heap-simd threads from PLANAR_SPLIT_MULTIPLY_ADDS; LeNet-5's
  // stay on the calling thread.
  const threads = heapSimdThreads(backend);
  const work = batch * H * W * fh * fw * C * sourceC;
  const multiplyAdds = work >= PLANAR_SPLIT_MULTIPLY_ADDS ? work : 0;
  const byImage = (
    name: 'toPlanes' | 'planarCorrelate' | 'planarCorrelate3q' | 'planarCorrelate3r' | 'fromPlanes',
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
  const sourceImage = sourceH * sourceW * sourceC * 4;
  const planesImage = sourceC * paddedH * paddedW * 4;
  const planarImage = C * H * rowLength * 4;
  byImage('toPlanes', (n0, count) => [
    at(source) + n0 * sourceImage,
    at(planes) + n0 * planesImage,
    count,
    sourceH,
    sourceW,
    sourceC,
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
    sourceC,
    C,
    H,
    rowLength,
    paddedH,
    paddedW,
    fh,
    fw,
  ];
  // Both take planarCorrelate's arguments and the source's rows [top, top + sourceH),
  // skipping the taps that read the zero rows outside them, and give its sums bit for bit:
  // three output channels per pass (a third of LeNet-5 conv2's taps skipped), or three
  // output rows per pass sharing each source row's loads (LeNet-5's conv1 input
  // gradient, one plane).
  const rowSkipping =
    C % 3 === 0 ? 'planarCorrelate3q' : H >= 3 && fh >= 2 ? 'planarCorrelate3r' : null;
  if (rowSkipping) {
    byImage(rowSkipping, (n0, count) => [...args(n0, count), top, top + sourceH]);
  } else {
    byImage('planarCorrelate', args);
  }
  if (!inPlace) {
    byImage('fromPlanes', (n0, count) => [
      at(planar) + n0 * planarImage,
      at(out) + n0 * H * W * C * 4,
      count,
      H,
      W,
      C,
      rowLength,
    ]);
    disposeIntermediate(backend, planar);
  }
  disposeIntermediate(backend, planes, taps);
  return out;
}
