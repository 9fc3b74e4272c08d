import { createRequire } from 'node:module';
import {
  type BackendChoice,
  type BackendHost,
  type InitBackendOptions,
  startBackend,
} from './start-backend';
import { useThreadedWasm, wasmThreadsWanted } from './wasm-threads';

export {
  BACKEND_PREFERENCE,
  type BackendChoice,
  type BackendName,
  currentBackend,
  type InitBackendOptions,
} from './start-backend';

/** Node as a backend host: `process.env`, tfjs-node through `require`, threaded wasm. */
const nodeHost: BackendHost = {
  env: (name) => process.env[name],
  loadPackage(pkg) {
    const require = createRequire(import.meta.url);
    try {
      require.resolve(pkg);
    } catch {
      return `${pkg} is not installed`;
    }
    try {
      require(pkg);
      return null;
    } catch (error) {
      return `${pkg} failed to load: ${(error as Error).message.split('\n')[0]}`;
    }
  },
  hasCudaDevice() {
    const visible = process.env.CUDA_VISIBLE_DEVICES;
    return !(visible !== undefined && (visible === '' || visible === '-1'));
  },
  // Once per process, before wasm first starts: switch to the threaded build if more than one thread is wanted.
  async prepareWasm() {
    const wanted = wasmThreadsWanted();
    if (wanted === 1) return { count: 1 };
    const failure = await useThreadedWasm(wanted);
    return failure ? { count: 1, note: failure } : { count: wanted };
  },
};

/**
 * Starts the best tfjs backend installed: `@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node` (optional peers), then `wasm` with trustgrad's
 * training kernels, then `cpu`. Logs one line saying which it took and why the
 * better ones were skipped. `TRUSTGRAD_BACKEND=wasm` (or the `backend` option)
 * forces one and fails clearly if it cannot start. (In a browser bundle the
 * package's `browser` entry gives the same function without tfjs-node or
 * environment variables.)
 *
 * @example
 * const { name } = await initBackend(); // "wasm" on a machine without tfjs-node
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  return startBackend(nodeHost, options);
}
