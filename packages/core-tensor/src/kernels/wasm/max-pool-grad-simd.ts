import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * A 482-byte WebAssembly module (SIMD) with one export,
 * `maxPoolGrad(x, dy, dx, batch, inH, inW, C, outH, outW, fh, fw)` (byte
 * addresses on tfjs-backend-wasm's heap, then sizes): for non-overlapping
 * windows (stride = window, no padding, every window inside the image, `C` a
 * multiple of 4) it finds, 4 channels at a time, the first maximum of each
 * window (`v > best`, scan order row then column: cpu's tie rule; a window of
 * only −∞/NaN routes nothing) and stores `dy` there and 0 at the window's other
 * taps. Source: `max-pool-grad-simd.wat` beside this file, assembled with
 * wabt 1.0.39 (`wat2wasm --enable-threads --enable-simd`), once importing the
 * threaded build's shared heap and once the single-threaded build's.
 */
const MODULE_BASE64 = {
  /** Imports the threaded build's shared heap (`memory 1 65536 shared`). */
  shared:
    'AGFzbQEAAAABDwFgC39/f39/f39/f39/AAISAQNlbnYGbWVtb3J5AgMBgIAEAwIBAAcPAQttYXhQb29sR3JhZAAACp0DAZoDAgl/BXtBACELAkADQCALIANODQFBACEMAkADQCAMIAdODQFBACENAkADQCANIAhODQEgCyAEbCAMIAlsaiAFbCANIApsaiAGbCERIAsgB2wgDGogCGwgDWogBmwhEkEAIQ4CQANAIA4gBk4NAUMAAID//RMhFkF//REhF0EAIRNBACEPAkADQCAPIAlODQFBACEQAkADQCAQIApODQEgACARIA8gBWwgEGogBmxqIA5qQQJ0av0ABAAhFCAUIBb9RCEVIBQgFiAV/VIhFiAT/REgFyAV/VIhFyATQQFqIRMgEEEBaiEQDAALCyAPQQFqIQ8MAAsLIAEgEiAOakECdGr9AAQAIRhBACETQQAhDwJAA0AgDyAJTg0BQQAhEAJAA0AgECAKTg0BIAIgESAPIAVsIBBqIAZsaiAOakECdGogGCAXIBP9Ef03/U79CwQAIBNBAWohEyAQQQFqIRAMAAsLIA9BAWohDwwACwsgDkEEaiEODAALCyANQQFqIQ0MAAsLIAxBAWohDAwACwsgC0EBaiELDAALCws=',
  /** Imports the single-threaded build's heap (`memory 1`). */
  unshared:
    'AGFzbQEAAAABDwFgC39/f39/f39/f39/AAIPAQNlbnYGbWVtb3J5AgABAwIBAAcPAQttYXhQb29sR3JhZAAACp0DAZoDAgl/BXtBACELAkADQCALIANODQFBACEMAkADQCAMIAdODQFBACENAkADQCANIAhODQEgCyAEbCAMIAlsaiAFbCANIApsaiAGbCERIAsgB2wgDGogCGwgDWogBmwhEkEAIQ4CQANAIA4gBk4NAUMAAID//RMhFkF//REhF0EAIRNBACEPAkADQCAPIAlODQFBACEQAkADQCAQIApODQEgACARIA8gBWwgEGogBmxqIA5qQQJ0av0ABAAhFCAUIBb9RCEVIBQgFiAV/VIhFiAT/REgFyAV/VIhFyATQQFqIRMgEEEBaiEQDAALCyAPQQFqIQ8MAAsLIAEgEiAOakECdGr9AAQAIRhBACETQQAhDwJAA0AgDyAJTg0BQQAhEAJAA0AgECAKTg0BIAIgESAPIAVsIBBqIAZsaiAOakECdGogGCAXIBP9Ef03/U79CwQAIBNBAWohEyAQQQFqIRAMAAsLIA9BAWohDwwACwsgDkEEaiEODAALCyANQQFqIQ0MAAsLIAxBAWohDAwACwsgC0EBaiELDAALCws=',
};

type MaxPoolGradExport = (
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
) => void;

const instances = new WeakMap<WebAssembly.Memory, MaxPoolGradExport | null>();

/**
 * The module linked to the backend's heap (the threaded build exposes it as
 * `wasmMemory`, the single-threaded one as `asm.memory`); null where neither
 * is there or the engine lacks WebAssembly SIMD, and the caller falls back.
 */
function simdMaxPoolGrad(backend: BackendWasm): MaxPoolGradExport | null {
  const module = backend.wasm as unknown as {
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
  };
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  let fn = instances.get(memory);
  if (fn !== undefined) return fn;
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  try {
    const bytes = Buffer.from(shared ? MODULE_BASE64.shared : MODULE_BASE64.unshared, 'base64');
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    fn = instance.exports.maxPoolGrad as MaxPoolGradExport;
  } catch {
    fn = null;
  }
  instances.set(memory, fn);
  return fn;
}

/**
 * Runs the SIMD kernel into `dx` (already allocated, `input`'s shape) when the
 * pooling fits it; returns false (nothing written) otherwise.
 */
export function tryMaxPoolGradSimd(
  backend: BackendWasm,
  input: TensorInfo,
  dy: TensorInfo,
  dx: TensorInfo,
  info: backend_util.Conv2DInfo,
): boolean {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const fits =
    input.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.strideHeight === fh &&
    info.strideWidth === fw &&
    outHeight * fh <= inHeight &&
    outWidth * fw <= inWidth &&
    inChannels % 4 === 0;
  if (!fits) return false;
  const kernel = simdMaxPoolGrad(backend);
  if (!kernel) return false;
  const offset = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  if (outHeight * fh < inHeight || outWidth * fw < inWidth) {
    // Rows or columns no window covers get no gradient.
    (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
  }
  kernel(
    offset(input),
    offset(dy),
    offset(dx),
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    fh,
    fw,
  );
  return true;
}
