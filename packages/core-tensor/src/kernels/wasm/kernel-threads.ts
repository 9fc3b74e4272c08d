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
  start(exportName: string, args: readonly (readonly number[])[]): () => void;
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
