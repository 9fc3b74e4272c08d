/**
 * Threads that run the exports of one of trustgrad's WebAssembly modules on
 * the wasm backend's shared heap while the calling thread runs its own part
 * of the same kernel. The pool itself needs Node (`worker_threads`); this
 * file is the portable seam: the Node entry registers a factory
 * ({@link setKernelThreadFactory}), the browser entry registers none, and the
 * kernels then run on the calling thread alone.
 */

/** A pool of threads, each with its own instance of one module on one shared memory. */
export interface KernelThreads {
  /** Threads besides the calling one. */
  readonly size: number;
  /**
   * Starts `exportName(...args[i])` on pool thread `i` (`args.length ≤ size`)
   * and returns `join`, which blocks until they all finished and throws if
   * one of them trapped. The caller runs its own part between the two.
   */
  start(
    exportName: string,
    args: readonly (readonly number[])[],
    claimed?: ClaimedSplit,
  ): () => void;
  /** The next chunk of a claimed split (see {@link ClaimedSplit}); past the last when none is left. */
  claim?(): number;
}

/**
 * A split in which each thread claims chunks of `chunk` images from a shared
 * counter until none is left, writing each chunk's bounds into its arguments
 * at `n0Index`/`n1Index`: a thread that starts late (woken from sleep) or runs
 * slower simply takes fewer chunks. Only for kernels whose result does not
 * depend on which thread ran which image.
 */
export interface ClaimedSplit {
  batch: number;
  chunk: number;
  n0Index: number;
  n1Index: number;
}

/** Makes the pool for `module` instantiated on `memory` (a shared memory), or null where none can run. */
export type KernelThreadFactory = (
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
) => KernelThreads | null;

let factory: KernelThreadFactory | null = null;

/** Registers how pools are made (the Node entry does, once the wasm thread count is known); null turns pools off. */
export function setKernelThreadFactory(next: KernelThreadFactory | null): void {
  factory = next;
}

/** The pool for `module` on `memory`, or null: no factory registered, an unshared heap, or the factory declined. */
export function kernelThreadsFor(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): KernelThreads | null {
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  return shared && factory ? factory(module, memory) : null;
}

/**
 * Below this many multiply-adds a kernel stays on the calling thread: waking a
 * pool thread costs tens of microseconds, a whole LeNet-5 conv2 call ~0.2 ms.
 */
export const THREADED_MULTIPLY_ADDS = 8_000_000;

const CHUNKS_PER_THREAD = 16;

/** How many ranges {@link splitOverImages} splits `batch` images into (1: the calling thread alone). */
export function partsFor(
  threads: KernelThreads | null,
  batch: number,
  multiplyAdds: number,
): number {
  return threads && multiplyAdds >= THREADED_MULTIPLY_ADDS ? Math.min(threads.size + 1, batch) : 1;
}

/**
 * Runs the export `name` over the images `[0, batch)`: split into contiguous
 * ranges, one per thread, when there are `threads` and `multiplyAdds` is worth
 * it; `args(n0, n1, part)` gives the arguments of one range, and the calling
 * thread runs part 0 with `own`. Returns the number of parts.
 */
export function splitOverImages(
  threads: KernelThreads | null,
  own: (...values: number[]) => void,
  name: string,
  batch: number,
  multiplyAdds: number,
  args: (n0: number, n1: number, part: number) => number[],
  claimedAt?: { n0Index: number; n1Index: number },
): number {
  const parts = partsFor(threads, batch, multiplyAdds);
  if (parts > 1 && threads?.claim && claimedAt) {
    // Chunks of about a sixteenth of a thread's share: small enough to even out a late start.
    const chunk = Math.max(1, Math.ceil(batch / (parts * CHUNKS_PER_THREAD)));
    const others: number[][] = [];
    for (let part = 1; part < parts; part++) others.push(args(0, batch, part));
    const join = threads.start(name, others, { batch, chunk, ...claimedAt });
    try {
      for (let k = threads.claim(); k * chunk < batch; k = threads.claim()) {
        own(...args(k * chunk, Math.min(batch, (k + 1) * chunk), 0));
      }
    } finally {
      join();
    }
    return parts;
  }
  const bounds = (part: number) => Math.round((batch * part) / parts);
  let join: (() => void) | null = null;
  if (parts > 1 && threads) {
    const others: number[][] = [];
    for (let part = 1; part < parts; part++)
      others.push(args(bounds(part), bounds(part + 1), part));
    join = threads.start(name, others);
  }
  try {
    own(...args(0, bounds(1), 0));
  } finally {
    join?.();
  }
  return parts;
}
