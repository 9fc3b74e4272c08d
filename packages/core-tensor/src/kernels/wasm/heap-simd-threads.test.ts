import { describe, expect, it } from 'vitest';
import { kernelThreadPoolFactory } from '../../backend/kernel-thread-pool';
import { SeededRandom } from '../../random/seeded-random';
import {
  addChunkPartials,
  channelGradientSums,
  channelMomentSums,
  chunkCount,
  chunkRows,
  tileRows,
} from '../cpu/batch-norm-training-arrays';
import { type HeapSimd, heapSimdModule, linkHeapSimd } from './heap-simd';
import {
  heapSimdSplitCalls,
  type RangeKernel,
  runOverChunks,
  runOverElements,
  SPLIT_ELEMENTS,
} from './heap-simd-threads';
import type { KernelThreads } from './kernel-threads';

/** Floats per operand: above the split threshold, not a multiple of 4 nor of the period. */
const N = SPLIT_ELEMENTS + 4097;
/** `lcm(6, 4)`: a per-channel operand of 6 channels repeated. */
const L = 12;
const EDGE = [0, -0, 1e-30, -1e-40, 3e38, -3e38, Number.NaN, Infinity, -Infinity];

/** A shared heap with the SIMD module linked, its operands at `at.*` (bytes) and a real pool of one thread. */
function setUp() {
  const memory = new WebAssembly.Memory({
    initial: Math.ceil((16 * N) / 65536) + 2,
    maximum: 1024,
    shared: true,
  });
  const kernels = linkHeapSimd(memory);
  const module = heapSimdModule(memory);
  if (!kernels || !module) throw new Error('heap-simd did not link on a shared heap');
  const pool = kernelThreadPoolFactory(1)(module, memory);
  if (!pool) throw new Error('no pool');
  const started: string[] = [];
  // The real pool, recording which kernels it was handed.
  const threads: KernelThreads = {
    size: pool.size,
    claim: () => pool.claim?.() ?? Number.MAX_SAFE_INTEGER,
    start(name, args, claimed) {
      started.push(name);
      return pool.start(name, args, claimed);
    },
  };
  const heap = new Float32Array(memory.buffer);
  const stride = 4 * (N + 16);
  const at = {
    a: 0,
    b: stride,
    c: 2 * stride,
    out: 3 * stride,
    patterns: 4 * stride,
    partials: 4 * stride + 16 * L,
  };
  const rng = new SeededRandom(7);
  for (const base of [at.a, at.b, at.c]) {
    heap.set(rng.normalArray(N), base / 4);
    for (let i = base / 4; i < base / 4 + N; i += 97) heap[i] = EDGE[rng.int(EDGE.length)];
  }
  heap.set(rng.normalArray(4 * L), at.patterns / 4);
  return { kernels, threads, started, heap, at };
}

type Setup = ReturnType<typeof setUp>;

/** Runs `run` alone and over the pool; returns both outputs (`floats` floats at `at.out`) and the pool's part count. */
function bothWays(
  s: Setup,
  floats: number,
  run: (kernels: HeapSimd, threads: KernelThreads | null) => number,
) {
  const out = s.at.out / 4;
  s.heap.fill(0, out, out + floats);
  expect(run(s.kernels, null)).toBe(1);
  const alone = s.heap.slice(out, out + floats);
  s.heap.fill(0, out, out + floats);
  const parts = run(s.kernels, s.threads);
  return { alone, pooled: s.heap.slice(out, out + floats), parts };
}

describe('heap-simd kernels split over a pool thread', () => {
  it('element-wise and per-channel passes give the same bits as on the calling thread alone', () => {
    const s = setUp();
    const { a, b, out, patterns } = s.at;
    const p = (i: number) => patterns + 4 * L * i;
    type Case = [RangeKernel, number, (k0: number, k1: number) => number[]];
    const cases: Case[] = [
      ['relu', 4, (k0, k1) => [a, out, k0, k1]],
      ['reluGradient', 4, (k0, k1) => [a, b, out, k0, k1]],
      ...[0, 1, 2].map((op): Case => ['binaryElementwise', 4, (k0, k1) => [op, a, b, out, k0, k1]]),
      ...[0, 1, 2, 3].map(
        (op): Case => ['perChannelBinary', L, (k0, k1) => [op, a, p(0), out, k0, k1, L]],
      ),
      ['channelNormalize', L, (k0, k1) => [a, p(0), p(1), p(2), out, k0, k1, L]],
      ['channelNormalizeGradient', L, (k0, k1) => [a, b, p(0), p(1), p(2), p(3), out, k0, k1, L]],
    ];
    const splitsBefore = heapSimdSplitCalls();
    for (const [name, block, args] of cases) {
      const { alone, pooled, parts } = bothWays(s, N, (kernels, threads) =>
        runOverElements(kernels, threads, name, N, block, args),
      );
      expect(parts, name).toBe(2);
      // Object.is per entry: NaN equals NaN, +0 differs from −0.
      expect(
        Array.from(pooled).every((v, i) => Object.is(v, alone[i])),
        name,
      ).toBe(true);
      expect(alone.some((v) => v !== 0)).toBe(true);
    }
    expect(s.started).toEqual(cases.map(([name]) => name));
    const splits = heapSimdSplitCalls();
    expect((splits.binaryElementwise ?? 0) - (splitsBefore.binaryElementwise ?? 0)).toBe(3);
    expect((splits.relu ?? 0) - (splitsBefore.relu ?? 0)).toBe(1);
    // The last range took the rest: nothing past N was written.
    expect(s.heap[s.at.out / 4 + N]).toBe(0);
  });

  it('stays on the calling thread below the split threshold', () => {
    const s = setUp();
    const n = SPLIT_ELEMENTS - 1;
    const { a, out } = s.at;
    const run = (threads: KernelThreads | null) =>
      runOverElements(s.kernels, threads, 'relu', n, 4, (k0, k1) => [a, out, k0, k1]);
    expect(run(s.threads)).toBe(1);
    expect(s.started).toEqual([]);
  });

  it('chunked moment and gradient sums: the same partials whichever thread ran a chunk, and the JavaScript twin’s sums', () => {
    const s = setUp();
    const { a, b, patterns, partials } = s.at;
    // Four channels (L = 4): chunks of 16 tiles of 1024 rows, the last one short.
    const period = 4;
    const rows = Math.floor(N / period);
    const chunks = chunkCount(rows, period);
    expect(chunks).toBeGreaterThan(2);
    expect(rows % chunkRows(period)).not.toBe(0);
    const floats = 2 * period * chunks;
    const heap64 = () => new Float64Array(s.heap.buffer, partials, floats);
    for (const name of ['channelMomentChunks', 'channelGradientChunks'] as const) {
      const args = (c0: number, c1: number) =>
        name === 'channelMomentChunks'
          ? [a, patterns, partials, c0, c1, rows, period, tileRows(period), chunkRows(period)]
          : [a, b, patterns, partials, c0, c1, rows, period, tileRows(period), chunkRows(period)];
      heap64().fill(0);
      expect(runOverChunks(s.kernels, null, name, chunks, N, args)).toBe(1);
      const alone = heap64().slice();
      heap64().fill(0);
      expect(runOverChunks(s.kernels, s.threads, name, chunks, N, args)).toBe(2);
      expect(
        Array.from(heap64()).every((v, i) => Object.is(v, alone[i])),
        name,
      ).toBe(true);
      // Combined in chunk order, they are the JavaScript loop's sums bit for bit.
      const combined = new Float64Array(2 * period);
      addChunkPartials(alone, chunks, period, combined);
      const twin = new Float64Array(2 * period);
      const view = (byte: number) => s.heap.subarray(byte / 4, byte / 4 + rows * period);
      const pattern = s.heap.subarray(patterns / 4, patterns / 4 + period);
      if (name === 'channelMomentChunks') channelMomentSums(view(a), pattern, twin, rows, period);
      else channelGradientSums(view(a), view(b), pattern, twin, rows, period);
      expect(
        Array.from(combined).every((v, i) => Object.is(v, twin[i])),
        name,
      ).toBe(true);
    }
    expect(s.started).toEqual(['channelMomentChunks', 'channelGradientChunks']);
  });
});
