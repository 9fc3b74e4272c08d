import {
  type BackendChoice,
  type BackendHost,
  type InitBackendOptions,
  startBackend,
} from './start-backend';

/** A browser as a backend host: no environment, no tfjs-node; tfjs-backend-wasm picks its own build. */
const browserHost: BackendHost = {
  env: () => undefined,
  loadPackage: (pkg) => `${pkg} runs only in Node, not in a browser`,
  hasCudaDevice: () => false,
  prepareWasm: async () => null,
};

/**
 * Starts the best tfjs backend a browser has: `wasm` with trustgrad's
 * training kernels, else `cpu` (the browser entry of `initBackend`; the
 * `backend` option forces one). tfjs-backend-wasm fetches its `.wasm` files
 * from where the bundle says: with a bundler, hand their URLs to
 * `setWasmPaths` from `@tensorflow/tfjs-backend-wasm` first.
 *
 * @example
 * import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
 * import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'; // vite
 * setWasmPaths({ 'tfjs-backend-wasm-simd.wasm': simd, ... });
 * const { name } = await initBackend(); // "wasm"
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  return startBackend(browserHost, options);
}
