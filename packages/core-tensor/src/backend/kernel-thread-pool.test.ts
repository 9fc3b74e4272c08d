import { beforeAll, describe, expect, it, vi } from 'vitest';
import wabt from 'wabt';

const started = vi.hoisted(() => ({ workers: 0 }));

// Counts the threads the pool starts, to see that the modules of one heap share them.
vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:worker_threads')>();
  class CountedWorker extends original.Worker {
    constructor(...args: ConstructorParameters<typeof original.Worker>) {
      super(...args);
      started.workers++;
    }
  }
  return { ...original, Worker: CountedWorker };
});

const { kernelThreadPoolFactory } = await import('./kernel-thread-pool');

/**
 * A module on an imported shared memory whose `fill(at, n0, n1)` writes `value` to the
 * floats `[n0, n1)` from byte `at`, and whose `boom()` traps.
 */
async function fillModule(value: number): Promise<WebAssembly.Module> {
  const text = `(module
    (import "env" "memory" (memory 1 16 shared))
    (func (export "fill") (param $at i32) (param $n0 i32) (param $n1 i32)
      (block $end (loop $next
        (br_if $end (i32.ge_s (local.get $n0) (local.get $n1)))
        (f32.store (i32.add (local.get $at) (i32.shl (local.get $n0) (i32.const 2))) (f32.const ${value}))
        (local.set $n0 (i32.add (local.get $n0) (i32.const 1)))
        (br $next))))
    (func (export "boom") unreachable))`;
  const parsed = (await wabt()).parseWat('fill.wat', text, { threads: true });
  const { buffer } = parsed.toBinary({});
  parsed.destroy();
  return new WebAssembly.Module(new Uint8Array(buffer));
}

describe('kernelThreadPoolFactory', () => {
  let first: WebAssembly.Module;
  let second: WebAssembly.Module;
  beforeAll(async () => {
    first = await fillModule(1);
    second = await fillModule(2);
  });

  it('runs two modules of one heap on the same threads, each part where it was sent', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const floats = new Float32Array(memory.buffer);
    const before = started.workers;
    const factory = kernelThreadPoolFactory(1);
    const one = factory(first, memory);
    const two = factory(second, memory);
    expect(factory(first, memory)).toBe(one);
    expect(one?.size).toBe(1);
    expect(two?.size).toBe(1);
    // Fixed ranges: the pool thread fills [50, 100) with 1, then [0, 50) with 2.
    one?.start('fill', [[0, 50, 100]])();
    two?.start('fill', [[0, 0, 50]])();
    expect(floats.slice(0, 50).every((v) => v === 2)).toBe(true);
    expect(floats.slice(50, 100).every((v) => v === 1)).toBe(true);
    expect(started.workers - before).toBe(1);
    // A second heap gets its own threads.
    factory(first, new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }));
    expect(started.workers - before).toBe(2);
  });

  it('shares the claimed-chunk queue between the modules, every image exactly once', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const floats = new Float32Array(memory.buffer);
    const factory = kernelThreadPoolFactory(1);
    for (const [module, value] of [
      [first, 1],
      [second, 2],
    ] as const) {
      const pool = factory(module, memory);
      if (!pool?.claim) throw new Error('no pool');
      const split = { batch: 1000, chunk: 7, n0Index: 1, n1Index: 2 };
      const join = pool.start('fill', [[0, 0, 0]], split);
      let mine = 0;
      for (let k = pool.claim(); k * split.chunk < split.batch; k = pool.claim()) {
        const n0 = k * split.chunk;
        const n1 = Math.min(split.batch, n0 + split.chunk);
        // The calling thread's chunks get value + 10, to tell them from the pool thread's.
        for (let i = n0; i < n1; i++) floats[i] = value + 10;
        mine += n1 - n0;
      }
      join();
      const values = floats.slice(0, 1000);
      expect(values.every((v) => v === value || v === value + 10)).toBe(true);
      expect(values.filter((v) => v === value + 10).length).toBe(mine);
    }
  });

  it('reports a trap from a pool thread at the join, and keeps running afterwards', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const floats = new Float32Array(memory.buffer);
    const factory = kernelThreadPoolFactory(1);
    const pool = factory(second, memory);
    const join = pool?.start('boom', [[]]);
    expect(() => join?.()).toThrow(/boom trapped/);
    factory(first, memory)?.start('fill', [[0, 0, 10]])();
    expect(floats.slice(0, 10).every((v) => v === 1)).toBe(true);
  });

  it('runs a part on the calling thread when the export is unknown to the module', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const pool = kernelThreadPoolFactory(1)(first, memory);
    // Unknown names run inline, where instantiating gives no such export: a TypeError.
    expect(() => pool?.start('missing', [[0, 0, 1]])()).toThrow(TypeError);
  });
});
