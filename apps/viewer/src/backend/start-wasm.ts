import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { type BackendChoice, initBackend } from '@trustgrad/core-tensor';

/**
 * Starts tfjs's wasm backend with trustgrad's training kernels (core-tensor
 * registers them on import) from the `.wasm` files vite emits beside the page:
 * tfjs would otherwise look for them next to a script that a bundle no longer has.
 */
export async function startWasm(log: (line: string) => void = () => {}): Promise<BackendChoice> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plainWasm,
    'tfjs-backend-wasm-simd.wasm': simdWasm,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
  });
  return initBackend({ backend: 'wasm', log });
}
