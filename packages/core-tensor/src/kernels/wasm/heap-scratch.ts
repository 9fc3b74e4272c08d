import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { heapAddress } from './heap-simd';

/** Scratch space on the wasm heap for a SIMD kernel's operands: float32 blocks, then float64 accumulators. */
export interface HeapScratch {
  /** The backing buffer; free it with `disposeIntermediate` after the last kernel call. */
  info: TensorInfo;
  /** `floats.length` blocks of `blockFloats` float32 each (views, live until the heap grows). */
  floats: Float32Array[];
  /** Heap byte address of float block `i`. */
  floatAddress: (i: number) => number;
  /** The zeroed float64 accumulators (a view, live until the heap grows). */
  doubles: Float64Array;
  /** Heap byte address of `doubles`, a multiple of 8. */
  doubleAddress: number;
}

/**
 * Allocates `floats` float32 (in blocks of `floats / blocks`, default 4
 * blocks) and `doubles` zeroed float64 on the heap in one buffer. The float64
 * part is aligned to 8 bytes by hand (emscripten's malloc gives 8 in practice,
 * but a `Float64Array` view throws on less), so it never falls back.
 * Allocate before taking any other heap view: the allocation may grow memory.
 */
export function heapScratch(
  backend: BackendWasm,
  floats: number,
  doubles: number,
  blocks = 4,
): HeapScratch {
  const info = backend.makeOutput([floats + 2 * doubles + 1], 'float32');
  const base = heapAddress(backend, info.dataId);
  const buffer = (backend.typedArrayFromHeap(info) as Float32Array).buffer;
  const blockFloats = floats / blocks;
  const floatAddress = (i: number) => base + 4 * i * blockFloats;
  const views = Array.from(
    { length: blocks },
    (_, i) => new Float32Array(buffer, floatAddress(i), blockFloats),
  );
  // Not `& ~7`: heap addresses may pass 2³¹, beyond JavaScript's int32 bit operations.
  const doubleAddress = Math.ceil((base + 4 * floats) / 8) * 8;
  const view = new Float64Array(buffer, doubleAddress, doubles);
  view.fill(0);
  return { info, floats: views, floatAddress, doubles: view, doubleAddress };
}
