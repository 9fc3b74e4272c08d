import { createRequire } from 'node:module';
import { setKernelThreadFactory } from '../kernels/wasm/kernel-threads';
import { kernelThreadPoolFactory } from './kernel-thread-pool';
import { enableFusedMultiplyAdd } from './relaxed-simd';
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
    const multiplyAdd = enableFusedMultiplyAdd();
    const notes = (failure?: string) =>
      [failure, multiplyAdd.note].filter((text): text is string => Boolean(text)).join('; ') ||
      undefined;
    const wanted = wasmThreadsWanted();
    const failure = wanted === 1 ? null : await useThreadedWasm(wanted);
    // trustgrad's convolution kernels split images over as many threads as XNNPACK's pool.
    if (wanted > 1 && !failure) setKernelThreadFactory(kernelThreadPoolFactory(wanted - 1));
    const count = wanted > 1 && !failure ? wanted : 1;
    const note = notes(failure ?? undefined);
    return note ? { count, note } : { count };
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
