import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backendMemory, type HeapSimd, type HeapSimdKernel, heapSimdModule } from './heap-simd';
import { type KernelThreadFactory, type KernelThreads, kernelThreadsFor } from './kernel-threads';

/**
 * trustgrad's element-wise and per-channel SIMD kernels (`heap-simd.wat`) split
 * over the kernel thread pool: where the heap is shared (Node's threaded wasm
 * build) a pool of threads instantiates the same module on it, and a large
 * call runs part of its range on each; elsewhere (browsers, the unshared
 * single-threaded heap) everything stays on the calling thread.
 */

let enabled = true;

/**
 * Turns the split off or back on: while off, every heap-simd kernel runs on the
 * calling thread alone. For side-by-side benchmarks in one process, and tests
 * that compare both paths.
 */
export function setHeapSimdThreadsEnabled(on: boolean): void {
  enabled = on;
}

/**
 * The pool for the heap-simd module linked on `backend`'s heap (call
 * `heapSimd(backend)` first), made by `makeThreads` (default: the registered
 * factory, on shared heaps only); null where there is none.
 */
export function heapSimdThreads(
  backend: BackendWasm,
  makeThreads: KernelThreadFactory = kernelThreadsFor,
): KernelThreads | null {
  const memory = enabled ? backendMemory(backend) : null;
  const module = memory ? heapSimdModule(memory) : null;
  return memory && module ? makeThreads(module, memory) : null;
}

/**
 * Below this many floats a call stays on the calling thread: waking a sleeping
 * pool thread cost 40–60 µs on the 2-core machine, and a cold split of
 * 131 072–262 144 floats was no faster than one thread (README, speed section).
 */
export const SPLIT_ELEMENTS = 524_288;

const splits: Partial<Record<HeapSimdKernel, number>> = {};

/** How often each kernel ran split over more than one thread in this process (tests check the split is taken). */
export function heapSimdSplitCalls(): Readonly<Partial<Record<HeapSimdKernel, number>>> {
  return { ...splits };
}

function partsFor(threads: KernelThreads | null, units: number, floats: number): number {
  return threads?.claim && floats >= SPLIT_ELEMENTS
    ? Math.max(1, Math.min(threads.size + 1, units))
    : 1;
}

/** Claimed chunks per thread of an element-wise split: small enough to even out a late start. */
const CHUNKS_PER_THREAD = 8;
/** The smallest chunk a thread claims (~5 µs of an element-wise pass), so claims stay cheap. */
const MIN_CHUNK_FLOATS = 8192;

/** Where a kernel's range bounds sit in its arguments (as the pool's claimed splits want them). */
interface RangeArguments {
  n0Index: number;
  n1Index: number;
}

/**
 * The kernels that run over a range, and where its bounds sit: `k0`/`k1`
 * (floats) of the element-wise kernels, `c0`/`c1` (chunks) of the chunked sums.
 */
const RANGE_AT = {
  relu: { n0Index: 2, n1Index: 3 },
  reluGradient: { n0Index: 3, n1Index: 4 },
  binaryElementwise: { n0Index: 4, n1Index: 5 },
  perChannelBinary: { n0Index: 4, n1Index: 5 },
  channelNormalize: { n0Index: 5, n1Index: 6 },
  channelNormalizeGradient: { n0Index: 7, n1Index: 8 },
  channelMomentChunks: { n0Index: 3, n1Index: 4 },
  channelGradientChunks: { n0Index: 4, n1Index: 5 },
  bandedSeparable: { n0Index: 3, n1Index: 4 },
} satisfies Partial<Record<HeapSimdKernel, RangeArguments>>;

/** A heap-simd kernel that runs over a range of floats or chunks. */
export type RangeKernel = keyof typeof RANGE_AT;

/**
 * Runs the element-wise kernel `name` over the floats `[0, n)`: `args(k0, k1)`
 * gives its arguments for `k0 ≤ k < k1`. Large calls
 * go in chunks of a multiple of `block` floats (a per-channel kernel's period, so
 * every chunk starts at the same phase of its repeated operands) that the
 * calling thread and the pool's threads claim from a shared counter: a thread
 * woken late takes fewer. Element-wise, so the result is the same bits however
 * it is split. Returns the number of threads taking part.
 */
export function runOverElements(
  kernels: HeapSimd,
  threads: KernelThreads | null,
  name: RangeKernel,
  n: number,
  block: number,
  args: (k0: number, k1: number) => number[],
): number {
  const parts = partsFor(threads, Math.floor(n / block), n);
  const share = Math.ceil(n / (parts * CHUNKS_PER_THREAD));
  const chunk = block * Math.ceil(Math.max(MIN_CHUNK_FLOATS, share) / block);
  return runClaimed(kernels, threads, name, parts, n, chunk, args);
}

/**
 * Runs a chunked reduction `name` (`channelMomentChunks`, `channelGradientChunks`)
 * over its chunks `[0, chunks)` of a pass over `floats` floats: `args(c0, c1)`
 * gives its arguments for the chunks `c0 ≤ c < c1`.
 * Threads claim one chunk at a time; each chunk sums into its own partial, so
 * the result does not depend on which thread ran it. Returns the number of
 * threads taking part.
 */
export function runOverChunks(
  kernels: HeapSimd,
  threads: KernelThreads | null,
  name: RangeKernel,
  chunks: number,
  floats: number,
  args: (c0: number, c1: number) => number[],
): number {
  return runClaimed(kernels, threads, name, partsFor(threads, chunks, floats), chunks, 1, args);
}

/**
 * Runs the image-by-image kernel `name` (`bandedSeparable`) over the images
 * `[0, batch)` of a tensor of `floats` floats: `args(n0, n1, part)` gives its
 * arguments for `n0 ≤ n < n1` on thread `part` (0 the calling thread), whose
 * scratch is its own. Threads claim one image at a time; each output image
 * depends on its input image alone, so the result is the same bits however
 * it is split. Returns the number of threads taking part.
 */
export function runPerImage(
  kernels: HeapSimd,
  threads: KernelThreads | null,
  name: RangeKernel,
  batch: number,
  floats: number,
  args: (n0: number, n1: number, part: number) => number[],
): number {
  return runClaimed(kernels, threads, name, partsFor(threads, batch, floats), batch, 1, args);
}

/** How many threads {@link runPerImage} would use for `batch` images of `floats` floats in all (the caller sizes per-thread scratch by it). */
export function perImageParts(
  threads: KernelThreads | null,
  batch: number,
  floats: number,
): number {
  return partsFor(threads, batch, floats);
}

function runClaimed(
  kernels: HeapSimd,
  threads: KernelThreads | null,
  name: RangeKernel,
  parts: number,
  total: number,
  chunk: number,
  args: (k0: number, k1: number, part: number) => number[],
): number {
  const own = kernels[name] as (...values: number[]) => void;
  if (parts === 1 || !threads?.claim) {
    own(...args(0, total, 0));
    return 1;
  }
  splits[name] = (splits[name] ?? 0) + 1;
  const others: number[][] = [];
  for (let part = 1; part < parts; part++) others.push(args(0, total, part));
  const join = threads.start(name, others, { batch: total, chunk, ...RANGE_AT[name] });
  try {
    for (let k = threads.claim(); k * chunk < total; k = threads.claim()) {
      own(...args(k * chunk, Math.min(total, (k + 1) * chunk), 0));
    }
  } finally {
    join();
  }
  return parts;
}
