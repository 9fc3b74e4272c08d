import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors/trustgrad-error';

/**
 * How many threads the wasm backend's XNNPACK pool should use:
 * `TRUSTGRAD_WASM_THREADS` if set (1 turns threading off), else every core
 * Node reports (`os.availableParallelism()`), at most 8 (the pool size
 * tfjs-backend-wasm pre-creates) — except under vitest, where test files
 * already run in parallel processes and the threaded start-up (~2 s, 8
 * pthread workers) would only slow suites down: there the default is 1.
 */
export function wasmThreadsWanted(): number {
  const raw = process.env.TRUSTGRAD_WASM_THREADS?.trim();
  if (raw) {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
      throw new InvalidOptionError(
        `TRUSTGRAD_WASM_THREADS="${raw}" is not a thread count; use an integer from 1 to ${MAX_THREADS} (1 = single-threaded)`,
      );
    }
    return value;
  }
  if (process.env.VITEST) return 1;
  return Math.min(os.availableParallelism(), MAX_THREADS);
}

const MAX_THREADS = 8;
const THREADED_SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const WORKER_SCRIPT =
  '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';

/**
 * Makes the `wasm` backend start from tfjs-backend-wasm's multi-threaded SIMD
 * build with `threads` XNNPACK threads. tfjs only uses that build in browsers:
 * in Node its feature check answers "no threads" (tfjs#3830), and three
 * things stop the build from working there as shipped:
 *
 * 1. the pthread worker script ships as a JS string export, not a file:
 *    it is written once to the temp folder and handed to Emscripten's `locateFile`;
 * 2. the C++ side caps the pool at `logical cores / 2` (it assumes
 *    hyper-threading), so on a 2-core machine it would use 1 thread: while the
 *    module initialises, `os.cpus()` reports `2 × threads` entries;
 * 3. idle pthread workers would keep Node alive: they are `unref()`ed.
 *
 * Must run before the wasm backend first starts (it replaces the backend's
 * factory). Returns null on success, else why it could not (the caller keeps
 * the single-threaded backend).
 */
export async function useThreadedWasm(threads: number): Promise<string | null> {
  if (tf.findBackend('wasm')) return 'the wasm backend was already started single-threaded';
  const require = createRequire(import.meta.url);
  let module: WasmModule;
  try {
    const factory = require(THREADED_SCRIPT) as (config: object) => Promise<WasmModule>;
    const { wasmWorkerContents } = require(WORKER_SCRIPT) as { wasmWorkerContents: string };
    const workerPath = writeWorkerScript(wasmWorkerContents);
    const wasmDir = dirname(require.resolve(THREADED_SCRIPT));
    const realCpus = os.cpus;
    const reported = Array.from({ length: 2 * threads }, () => realCpus()[0]);
    os.cpus = () => reported;
    try {
      module = await withTimeout(
        factory({
          locateFile: (path: string) =>
            path.endsWith('.worker.js') ? workerPath : join(wasmDir, path),
        }),
        60_000,
      );
    } finally {
      os.cpus = realCpus;
    }
  } catch (error) {
    return `threaded wasm build failed to load: ${(error as Error).message ?? String(error)}`;
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    () => {
      const backend = new BackendWasm(module as never);
      // The pool's threads start (and `ref()` their workers) in the constructor; they only wait for work.
      for (const worker of [...module.PThread.unusedWorkers, ...module.PThread.runningWorkers])
        worker.unref?.();
      return backend;
    },
    WASM_PRIORITY,
  );
  return null;
}

/** tfjs-backend-wasm registers itself with priority 2. */
const WASM_PRIORITY = 2;

interface WasmModule {
  cwrap: (name: string, returns: string | null, args: string[]) => unknown;
  PThread: {
    unusedWorkers: Array<{ unref?: () => void }>;
    runningWorkers: Array<{ unref?: () => void }>;
  };
  tfjs?: Record<string, unknown>;
}

function writeWorkerScript(contents: string): string {
  const version = (tf.version_core ?? 'unknown').replace(/[^\w.-]/g, '_');
  const path = join(os.tmpdir(), `trustgrad-tfjs-wasm-${version}-pthread-worker.cjs`);
  // tfjs escapes the same way before making its browser Blob: the string holds "\n" escapes.
  const script = contents.replace(/\n/g, '\\n');
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, script);
  renameSync(partial, path);
  return path;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const keepAlive = setInterval(() => {}, 1_000);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`pthread workers did not start within ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
    clearInterval(keepAlive);
  });
}
