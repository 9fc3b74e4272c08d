import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * trustgrad's own SIMD WebAssembly kernels, linked to tfjs-backend-wasm's heap
 * so they read and write tensors in place (arguments are byte addresses on
 * the heap, then sizes). Source: `heap-simd.wat` beside this file, assembled
 * with wabt 1.0.39 (`wat2wasm --enable-threads --enable-simd`), once
 * importing the threaded build's shared heap (`memory 1 65536 shared`) and
 * once the single-threaded build's (`memory 1`).
 */
export interface HeapSimd {
  /**
   * Non-overlapping max-pool gradient (stride = window, no padding, every
   * window inside the image, `C` a multiple of 4), 4 channels at a time:
   * stores `dy` at the first maximum of each window (`v > best` in scan
   * order: cpu's tie rule; a window of only −∞/NaN routes nothing) and 0 at
   * its other taps.
   */
  maxPoolGrad(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    channels: number,
    outH: number,
    outW: number,
    fh: number,
    fw: number,
  ): void;
  /**
   * `out[r, o] += Σ_{p0 ≤ p < p1} a[p, r] · b[p, o]` (float32, `a` `[pixels, R]`,
   * `b` `[pixels, O]`, `out` `[R, O]`, `O` a multiple of 4).
   */
  accumulateOuter(
    a: number,
    b: number,
    out: number,
    p0: number,
    p1: number,
    rows: number,
    cols: number,
  ): void;
}

const MODULE_BASE64 = {
  shared:
    'AGFzbQEAAAABGQJgC39/f39/f39/f39/AGAHf39/f39/fwACEgEDZW52Bm1lbW9yeQIDAYCABAMDAgABByECC21heFBvb2xHcmFkAAAPYWNjdW11bGF0ZU91dGVyAAEK1QcCmgMCCX8Fe0EAIQsCQANAIAsgA04NAUEAIQwCQANAIAwgB04NAUEAIQ0CQANAIA0gCE4NASALIARsIAwgCWxqIAVsIA0gCmxqIAZsIREgCyAHbCAMaiAIbCANaiAGbCESQQAhDgJAA0AgDiAGTg0BQwAAgP/9EyEWQX/9ESEXQQAhE0EAIQ8CQANAIA8gCU4NAUEAIRACQANAIBAgCk4NASAAIBEgDyAFbCAQaiAGbGogDmpBAnRq/QAEACEUIBQgFv1EIRUgFCAWIBX9UiEWIBP9ESAXIBX9UiEXIBNBAWohEyAQQQFqIRAMAAsLIA9BAWohDwwACwsgASASIA5qQQJ0av0ABAAhGEEAIRNBACEPAkADQCAPIAlODQFBACEQAkADQCAQIApODQEgAiARIA8gBWwgEGogBmxqIA5qQQJ0aiAYIBcgE/0R/Tf9Tv0LBAAgE0EBaiETIBBBAWohEAwACwsgD0EBaiEPDAALCyAOQQRqIQ4MAAsLIA1BAWohDQwACwsgDEEBaiEMDAALCyALQQFqIQsMAAsLC7YEAgh/BXsgBUECdCENIAZBAnQhDkEAIQgCQANAIAggBU4NAUEAIQkCQANAIAlBEGogBkoNASAAIAMgBWwgCGpBAnRqIQogASADIAZsIAlqQQJ0aiELIAIgCCAGbCAJakECdGohDP0MAAAAAAAAAAAAAAAAAAAAACEQ/QwAAAAAAAAAAAAAAAAAAAAAIRH9DAAAAAAAAAAAAAAAAAAAAAAhEv0MAAAAAAAAAAAAAAAAAAAAACETIAMhBwJAA0AgByAETg0BIAoqAgD9EyEPIBAgDyAL/QAEAP3mAf3kASEQIBEgDyAL/QAEEP3mAf3kASERIBIgDyAL/QAEIP3mAf3kASESIBMgDyAL/QAEMP3mAf3kASETIAogDWohCiALIA5qIQsgB0EBaiEHDAALCyAMIAz9AAQAIBD95AH9CwQAIAwgDP0ABBAgEf3kAf0LBBAgDCAM/QAEICAS/eQB/QsEICAMIAz9AAQwIBP95AH9CwQwIAlBEGohCQwACwsCQANAIAkgBk4NASAAIAMgBWwgCGpBAnRqIQogASADIAZsIAlqQQJ0aiELIAIgCCAGbCAJakECdGohDP0MAAAAAAAAAAAAAAAAAAAAACEQIAMhBwJAA0AgByAETg0BIAoqAgD9EyEPIBAgDyAL/QAEAP3mAf3kASEQIAogDWohCiALIA5qIQsgB0EBaiEHDAALCyAMIAz9AAQAIBD95AH9CwQAIAlBBGohCQwACwsgCEEBaiEIDAALCws=',
  unshared:
    'AGFzbQEAAAABGQJgC39/f39/f39/f39/AGAHf39/f39/fwACDwEDZW52Bm1lbW9yeQIAAQMDAgABByECC21heFBvb2xHcmFkAAAPYWNjdW11bGF0ZU91dGVyAAEK1QcCmgMCCX8Fe0EAIQsCQANAIAsgA04NAUEAIQwCQANAIAwgB04NAUEAIQ0CQANAIA0gCE4NASALIARsIAwgCWxqIAVsIA0gCmxqIAZsIREgCyAHbCAMaiAIbCANaiAGbCESQQAhDgJAA0AgDiAGTg0BQwAAgP/9EyEWQX/9ESEXQQAhE0EAIQ8CQANAIA8gCU4NAUEAIRACQANAIBAgCk4NASAAIBEgDyAFbCAQaiAGbGogDmpBAnRq/QAEACEUIBQgFv1EIRUgFCAWIBX9UiEWIBP9ESAXIBX9UiEXIBNBAWohEyAQQQFqIRAMAAsLIA9BAWohDwwACwsgASASIA5qQQJ0av0ABAAhGEEAIRNBACEPAkADQCAPIAlODQFBACEQAkADQCAQIApODQEgAiARIA8gBWwgEGogBmxqIA5qQQJ0aiAYIBcgE/0R/Tf9Tv0LBAAgE0EBaiETIBBBAWohEAwACwsgD0EBaiEPDAALCyAOQQRqIQ4MAAsLIA1BAWohDQwACwsgDEEBaiEMDAALCyALQQFqIQsMAAsLC7YEAgh/BXsgBUECdCENIAZBAnQhDkEAIQgCQANAIAggBU4NAUEAIQkCQANAIAlBEGogBkoNASAAIAMgBWwgCGpBAnRqIQogASADIAZsIAlqQQJ0aiELIAIgCCAGbCAJakECdGohDP0MAAAAAAAAAAAAAAAAAAAAACEQ/QwAAAAAAAAAAAAAAAAAAAAAIRH9DAAAAAAAAAAAAAAAAAAAAAAhEv0MAAAAAAAAAAAAAAAAAAAAACETIAMhBwJAA0AgByAETg0BIAoqAgD9EyEPIBAgDyAL/QAEAP3mAf3kASEQIBEgDyAL/QAEEP3mAf3kASERIBIgDyAL/QAEIP3mAf3kASESIBMgDyAL/QAEMP3mAf3kASETIAogDWohCiALIA5qIQsgB0EBaiEHDAALCyAMIAz9AAQAIBD95AH9CwQAIAwgDP0ABBAgEf3kAf0LBBAgDCAM/QAEICAS/eQB/QsEICAMIAz9AAQwIBP95AH9CwQwIAlBEGohCQwACwsCQANAIAkgBk4NASAAIAMgBWwgCGpBAnRqIQogASADIAZsIAlqQQJ0aiELIAIgCCAGbCAJakECdGohDP0MAAAAAAAAAAAAAAAAAAAAACEQIAMhBwJAA0AgByAETg0BIAoqAgD9EyEPIBAgDyAL/QAEAP3mAf3kASEQIAogDWohCiALIA5qIQsgB0EBaiEHDAALCyAMIAz9AAQAIBD95AH9CwQAIAlBBGohCQwACwsgCEEBaiEIDAALCws=',
};

const instances = new WeakMap<WebAssembly.Memory, HeapSimd | null>();

/**
 * The kernels linked to the backend's heap (the threaded build exposes it as
 * `wasmMemory`, the single-threaded one as `asm.memory`); null where neither
 * is there or the engine lacks WebAssembly SIMD, and callers fall back.
 */
export function heapSimd(backend: BackendWasm): HeapSimd | null {
  const module = backend.wasm as unknown as {
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
  };
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  let kernels = instances.get(memory);
  if (kernels !== undefined) return kernels;
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  try {
    const bytes = Buffer.from(shared ? MODULE_BASE64.shared : MODULE_BASE64.unshared, 'base64');
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    kernels = instance.exports as unknown as HeapSimd;
  } catch {
    kernels = null;
  }
  instances.set(memory, kernels);
  return kernels;
}

/** Byte address of a tensor's data on the wasm heap. */
export function heapAddress(backend: BackendWasm, dataId: object): number {
  const data = backend.dataIdMap.get(dataId);
  if (!data) throw new Error('tensor data is not on the wasm backend (was it disposed?)');
  return data.memoryOffset;
}
