import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type {
  ClaimedSplit,
  KernelThreadFactory,
  KernelThreads,
} from '../kernels/wasm/kernel-threads';

/**
 * Node's {@link KernelThreadFactory}: `size` `worker_threads` per shared heap,
 * which run the exports of every module handed to the factory for that heap
 * (each thread instantiates a module on its first call of it), woken through
 * `Atomics` on a small shared control block (no message passing per call).
 * One set of threads for all modules matters on a machine with as many cores
 * as threads: a thread per module would leave one spinning, or asleep and slow
 * to wake, while another module's kernel runs.
 *
 * Control block (Int32): [0] call number (−1: exit), [1] last call finished,
 * [2] export index (−1: instantiate the module arriving on the thread's port),
 * [3] argument count, [4] status of the last call (0 ok, 1 trapped), [5] ready
 * (0 starting, 1 ready, 2 failed), [6] 0 for a fixed range, else 1 << 16 | n1's
 * argument index << 8 | n0's (the thread claims chunks of images from the
 * queue), [7] module index, [8…] arguments.
 *
 * Queue (Int32, one per heap): [0] next chunk, [1] chunks, [2] images a chunk, [3] images.
 * Calls on one heap never overlap (each kernel starts its threads, runs its own
 * part and joins them before the next starts), so the modules share both.
 */
/**
 * How long a pool thread watches the call number before it sleeps on it. Kernels come
 * tens of microseconds apart in a training step, and a thread woken from a futex sleep in a
 * VM starts 0.03–0.1 ms late at the median and milliseconds late at times (ResNet-20 step on
 * 2 cores: median start 0.06 ms with no spin, 0.03 after 0.3 ms of spin, 0.008 after 1.5 ms).
 */
const WORKER_SPIN_MS = 1.5;

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { memory, control, queue, port } = workerData;
const c = new Int32Array(control);
const q = new Int32Array(queue);
const modules = [];
Atomics.store(c, 5, 1);
Atomics.notify(c, 5);
let seen = 0;
for (;;) {
  // Spin a little before sleeping: kernels come in runs (a convolution, its normalization, its ReLU).
  const until = performance.now() + ${WORKER_SPIN_MS};
  for (let spin = 0; Atomics.load(c, 0) === seen; spin++) {
    if ((spin & 1023) === 0 && performance.now() > until) break;
  }
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (seen < 0) break;
  let status = 0;
  try {
    if (c[2] < 0) {
      // The module was posted before this call was made.
      let received = receiveMessageOnPort(port);
      for (let tries = 0; !received && tries < 1000; tries++) {
        Atomics.wait(c, 63, 0, 1);
        received = receiveMessageOnPort(port);
      }
      const { index, module, names } = received.message;
      const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
      modules[index] = names.map((name) => exports[name]);
    } else {
      const kernels = modules[c[7]];
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
/** Checks of the done flag before the calling thread sleeps on it (~0.3 ms: a chunk of images). */
const SPIN_CHECKS = 20_000;
const MAX_ARGS = CONTROL_INTS - 9;
/** How long the first call waits for a thread to start before running without it. */
const START_TIMEOUT_MS = 10_000;

interface PoolThread {
  control: Int32Array;
  port: MessagePort;
  calls: number;
}

/** The threads of one heap, and each module's view of them. */
interface ThreadGroup {
  threads: PoolThread[];
  queue: Int32Array;
  memory: WebAssembly.Memory;
  pools: Map<WebAssembly.Module, KernelThreads>;
}

/** A factory making, per shared heap, one set of `size` threads that serves every module on it. */
export function kernelThreadPoolFactory(size: number): KernelThreadFactory {
  const groups = new WeakMap<WebAssembly.Memory, ThreadGroup>();
  return (module, memory) => {
    let group = groups.get(memory);
    if (!group) {
      group = startGroup(memory, size);
      groups.set(memory, group);
    }
    let pool = group.pools.get(module);
    if (!pool) {
      // The module's index in the threads' instances is its place in this map.
      pool = poolFor(group, module, group.pools.size);
      group.pools.set(module, pool);
    }
    return pool;
  };
}

function startGroup(memory: WebAssembly.Memory, size: number): ThreadGroup {
  const threads: PoolThread[] = [];
  const queue = new Int32Array(new SharedArrayBuffer(16));
  for (let i = 0; i < size; i++) {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { memory, control: control.buffer, queue: queue.buffer, port: port2 },
      transferList: [port2],
    });
    // An idle pool must not keep the process alive, and a worker that fails to
    // start is noticed through the ready flag.
    worker.unref();
    port1.unref();
    worker.on('error', () => {
      if (Atomics.load(control, 5) === 0) Atomics.store(control, 5, 2);
    });
    threads.push({ control, port: port1, calls: 0 });
  }
  return { threads, queue, memory, pools: new Map() };
}

/** Makes call `thread.calls + 1` on `thread` (its control block already filled in). */
function signal(thread: PoolThread): void {
  thread.calls++;
  Atomics.store(thread.control, 0, thread.calls);
  Atomics.notify(thread.control, 0);
}

/** Waits until `thread` finished its last call; whether it ran without trapping. */
function finished(thread: PoolThread): boolean {
  const c = thread.control;
  // Spin briefly first: the pool thread often finishes within microseconds of
  // the calling thread, and a futex sleep and wake costs tens of them in a VM.
  for (let spin = 0; spin < SPIN_CHECKS && Atomics.load(c, 1) !== thread.calls; spin++);
  for (;;) {
    const done = Atomics.load(c, 1);
    if (done === thread.calls) break;
    Atomics.wait(c, 1, done);
  }
  return c[4] === 0;
}

/** `module`'s view of the group's threads (its instances at `index`): each thread instantiates it on its first call. */
function poolFor(group: ThreadGroup, module: WebAssembly.Module, index: number): KernelThreads {
  const { threads, queue, memory } = group;
  const names = WebAssembly.Module.exports(module)
    .filter((entry) => entry.kind === 'function')
    .map((entry) => entry.name);
  // Per thread: undefined until first asked, then whether it has an instance.
  const loaded: (boolean | undefined)[] = threads.map(() => undefined);
  const hasInstance = (i: number, thread: PoolThread) => {
    if (loaded[i] === undefined) {
      if (!ready(thread)) loaded[i] = false;
      else {
        thread.port.postMessage({ index, module, names });
        thread.control[2] = -1;
        signal(thread);
        loaded[i] = finished(thread);
      }
    }
    return loaded[i];
  };
  return {
    size: threads.length,
    claim() {
      return Atomics.add(queue, 0, 1);
    },
    start(exportName, args, claimed?: ClaimedSplit) {
      const exportIndex = names.indexOf(exportName);
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
        if (exportIndex < 0 || values.length > MAX_ARGS || !thread || !hasInstance(i, thread)) {
          // Claimed chunks need no inline part: the calling thread claims what is left.
          if (!claimed) inline.push(values);
          return;
        }
        const c = thread.control;
        c[6] = claimed ? (1 << 16) | (claimed.n1Index << 8) | claimed.n0Index : 0;
        c[7] = index;
        c[2] = exportIndex;
        c[3] = values.length;
        for (let k = 0; k < values.length; k++) c[8 + k] = values[k];
        signal(thread);
        started.push(thread);
      });
      return () => {
        // A thread that never started: its part runs here, after the calling thread's own.
        if (inline.length > 0) {
          const kernel = new WebAssembly.Instance(module, { env: { memory } }).exports[exportName];
          for (const values of inline) (kernel as (...v: readonly number[]) => void)(...values);
        }
        let trapped = false;
        for (const thread of started) if (!finished(thread)) trapped = true;
        if (trapped) throw new Error(`trustgrad kernel thread: ${exportName} trapped`);
      };
    },
  };
}

/** Whether the thread started (waits for it on first use). */
function ready(thread: PoolThread): boolean {
  const c = thread.control;
  if (Atomics.load(c, 5) === 0) Atomics.wait(c, 5, 0, START_TIMEOUT_MS);
  return Atomics.load(c, 5) === 1;
}
