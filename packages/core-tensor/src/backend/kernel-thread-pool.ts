import { Worker } from 'node:worker_threads';
import type {
  ClaimedSplit,
  KernelThreadFactory,
  KernelThreads,
} from '../kernels/wasm/kernel-threads';

/**
 * Node's {@link KernelThreadFactory}: `size` `worker_threads`, each with its
 * own instance of the module on the same shared heap, woken through
 * `Atomics` on a small shared control block (no message passing per call).
 *
 * Control block (Int32): [0] call number (−1: exit), [1] last call finished,
 * [2] export index, [3] argument count, [4] status of the last call (0 ok,
 * 1 trapped), [5] ready (0 starting, 1 ready, 2 failed), [6] 0 for a fixed
 * range, else 1 << 16 | n1's argument index << 8 | n0's (the thread claims
 * chunks of images from the pool's queue), [8…] arguments.
 *
 * Queue (Int32, one per pool): [0] next chunk, [1] chunks, [2] images a chunk, [3] images.
 */
/** Checks of the call number before a pool thread sleeps on it (tens of microseconds). */
const WORKER_SPIN_CHECKS = 20_000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, names, queue } = workerData;
const c = new Int32Array(control);
const q = new Int32Array(queue);
let kernels = null;
try {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  kernels = names.map((name) => exports[name]);
  Atomics.store(c, 5, 1);
} catch {
  Atomics.store(c, 5, 2);
}
Atomics.notify(c, 5);
let seen = 0;
while (kernels) {
  // Spin a little before sleeping: kernels come in runs (a border copy, then the convolution).
  for (let spin = 0; spin < ${WORKER_SPIN_CHECKS} && Atomics.load(c, 0) === seen; spin++);
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (seen < 0) break;
  let status = 0;
  try {
    const count = c[3];
    const args = new Array(count);
    for (let i = 0; i < count; i++) args[i] = c[8 + i];
    const claimed = c[6];
    if (claimed === 0) kernels[c[2]](...args);
    else {
      const i0 = claimed & 255;
      const i1 = (claimed >> 8) & 255;
      for (;;) {
        const k = Atomics.add(q, 0, 1);
        if (k >= q[1]) break;
        args[i0] = k * q[2];
        args[i1] = Math.min(q[3], (k + 1) * q[2]);
        kernels[c[2]](...args);
      }
    }
  } catch {
    status = 1;
  }
  c[4] = status;
  Atomics.store(c, 1, seen);
  Atomics.notify(c, 1);
}
`;

const CONTROL_INTS = 64;
/** Checks of the done flag before the calling thread sleeps on it (a few microseconds). */
const SPIN_CHECKS = 2000;
const MAX_ARGS = CONTROL_INTS - 8;
/** How long the first call waits for a thread to instantiate the module before running without it. */
const START_TIMEOUT_MS = 10_000;

interface PoolThread {
  control: Int32Array;
  calls: number;
}

/** A factory making pools of `size` threads (one pool per module and heap). */
export function kernelThreadPoolFactory(size: number): KernelThreadFactory {
  const pools = new WeakMap<WebAssembly.Module, WeakMap<WebAssembly.Memory, KernelThreads>>();
  return (module, memory) => {
    let byMemory = pools.get(module);
    if (!byMemory) {
      byMemory = new WeakMap();
      pools.set(module, byMemory);
    }
    let pool = byMemory.get(memory);
    if (!pool) {
      pool = startPool(module, memory, size);
      byMemory.set(memory, pool);
    }
    return pool;
  };
}

function startPool(module: WebAssembly.Module, memory: WebAssembly.Memory, size: number) {
  const names = WebAssembly.Module.exports(module)
    .filter((entry) => entry.kind === 'function')
    .map((entry) => entry.name);
  const threads: PoolThread[] = [];
  const queue = new Int32Array(new SharedArrayBuffer(16));
  for (let i = 0; i < size; i++) {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, memory, control: control.buffer, names, queue: queue.buffer },
    });
    // An idle pool must not keep the process alive, and a worker that fails to
    // start is noticed through the ready flag.
    worker.unref();
    worker.on('error', () => {
      if (Atomics.load(control, 5) === 0) Atomics.store(control, 5, 2);
    });
    threads.push({ control, calls: 0 });
  }
  const pool: KernelThreads = {
    size,
    claim() {
      return Atomics.add(queue, 0, 1);
    },
    start(exportName, args, claimed?: ClaimedSplit) {
      const index = names.indexOf(exportName);
      if (claimed) {
        queue[1] = Math.ceil(claimed.batch / claimed.chunk);
        queue[2] = claimed.chunk;
        queue[3] = claimed.batch;
        Atomics.store(queue, 0, 0);
      }
      const started: PoolThread[] = [];
      const inline: (readonly number[])[] = [];
      args.forEach((values, i) => {
        const thread = threads[i];
        if (index < 0 || values.length > MAX_ARGS || !thread || !ready(thread)) {
          // Claimed chunks need no inline part: the calling thread claims what is left.
          if (!claimed) inline.push(values);
          return;
        }
        const c = thread.control;
        c[6] = claimed ? (1 << 16) | (claimed.n1Index << 8) | claimed.n0Index : 0;
        c[2] = index;
        c[3] = values.length;
        for (let k = 0; k < values.length; k++) c[8 + k] = values[k];
        thread.calls++;
        Atomics.store(c, 0, thread.calls);
        Atomics.notify(c, 0);
        started.push(thread);
      });
      return () => {
        // A thread that never started: its part runs here, after the calling thread's own.
        if (inline.length > 0) {
          const kernel = new WebAssembly.Instance(module, { env: { memory } }).exports[exportName];
          for (const values of inline) (kernel as (...v: readonly number[]) => void)(...values);
        }
        let trapped = false;
        for (const thread of started) {
          const c = thread.control;
          // Spin briefly first: the pool thread often finishes within microseconds of
          // the calling thread, and a futex sleep and wake costs tens of them in a VM.
          for (let spin = 0; spin < SPIN_CHECKS && Atomics.load(c, 1) !== thread.calls; spin++);
          for (;;) {
            const done = Atomics.load(c, 1);
            if (done === thread.calls) break;
            Atomics.wait(c, 1, done);
          }
          if (c[4] !== 0) trapped = true;
        }
        if (trapped) throw new Error(`trustgrad kernel thread: ${exportName} trapped`);
      };
    },
  };
  return pool;
}

/** Whether the thread has its instance (waits for it on first use). */
function ready(thread: PoolThread): boolean {
  const c = thread.control;
  if (Atomics.load(c, 5) === 0) Atomics.wait(c, 5, 0, START_TIMEOUT_MS);
  return Atomics.load(c, 5) === 1;
}
