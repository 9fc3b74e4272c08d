import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { heapSimdCalls } from './heap-simd';
import { disposeIntermediate, runOriginal } from './original-kernels';
import { randomHost, relativeError, runKernelOn } from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const FLAGS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe('BatchMatMul on wasm', () => {
  it('matches the cpu kernel for every transpose flag, with batch broadcasting', async () => {
    const rng = new SeededRandom(31);
    for (let trial = 0; trial < 24; trial++) {
      const [transposeA, transposeB] = FLAGS[trial % 4];
      const [m, k, n] = [1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(9)];
      const batchA = 1 + rng.int(3);
      const batchB = rng.int(2) === 0 ? 1 : batchA;
      const a = randomHost(rng, [batchA, ...(transposeA ? [k, m] : [m, k])]);
      const b = randomHost(rng, [batchB, ...(transposeB ? [n, k] : [k, n])]);
      const attrs = { transposeA, transposeB } as never;
      const expected = await runKernelOn('cpu', 'BatchMatMul', { a, b }, attrs);
      const actual = await runKernelOn('wasm', 'BatchMatMul', { a, b }, attrs);
      expect(
        relativeError(actual, expected),
        JSON.stringify({ a: a.shape, b: b.shape, transposeA, transposeB }),
      ).toBeLessThan(1e-4);
    }
  });
});

describe('_FusedMatMul on wasm', () => {
  it('matches the cpu kernel for every transpose flag with bias and activation', async () => {
    const rng = new SeededRandom(32);
    for (let trial = 0; trial < 16; trial++) {
      const [transposeA, transposeB] = FLAGS[trial % 4];
      const [m, k, n] = [1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(9)];
      const a = randomHost(rng, [1, ...(transposeA ? [k, m] : [m, k])]);
      const b = randomHost(rng, [1, ...(transposeB ? [n, k] : [k, n])]);
      const bias = randomHost(rng, [n]);
      const activation = (['linear', 'relu'] as const)[rng.int(2)];
      const attrs = { transposeA, transposeB, activation } as never;
      const expected = await runKernelOn('cpu', '_FusedMatMul', { a, b, bias }, attrs);
      const actual = await runKernelOn('wasm', '_FusedMatMul', { a, b, bias }, attrs);
      expect(
        relativeError(actual, expected),
        JSON.stringify({ transposeA, transposeB, activation }),
      ).toBeLessThan(1e-4);
    }
  });
});

describe('small matrix products on the calling thread (SIMD matMul)', () => {
  it('match cpu for dense-layer shapes, column tails, batches, bias and relu, NaN and ±∞ included', async () => {
    const rng = new SeededRandom(33);
    const calls = heapSimdCalls().matMul;
    let expectedCalls = 0;
    for (const [m, k, n, batchA, batchB] of [
      [32, 256, 120, 1, 1], // LeNet-5 fc1
      [32, 84, 10, 1, 1], // fc3: 8 columns in SIMD, 2 one at a time
      [5, 7, 19, 3, 1], // a batch against one matrix, 16 + 3 columns
      [4, 9, 6, 2, 2],
      [1, 1, 1, 1, 1],
    ]) {
      for (const [transposeA, transposeB] of FLAGS) {
        const a = randomHost(rng, [batchA, ...(transposeA ? [k, m] : [m, k])]);
        const b = randomHost(rng, [batchB, ...(transposeB ? [n, k] : [k, n])]);
        a.values[0] = Number.NaN;
        b.values[b.values.length - 1] = Number.POSITIVE_INFINITY;
        const bias = randomHost(rng, [n]);
        const label = JSON.stringify({ m, k, n, batchA, batchB, transposeA, transposeB });
        const plain = { transposeA, transposeB } as never;
        const expected = await runKernelOn('cpu', 'BatchMatMul', { a, b }, plain);
        const actual = await runKernelOn('wasm', 'BatchMatMul', { a, b }, plain);
        expectClose(actual.values, expected.values, label);
        expectedCalls += batchA;
        if (batchA === 1) {
          for (const activation of ['linear', 'relu'] as const) {
            const attrs = { transposeA, transposeB, activation } as never;
            const e = await runKernelOn('cpu', '_FusedMatMul', { a, b, bias }, attrs);
            const f = await runKernelOn('wasm', '_FusedMatMul', { a, b, bias }, attrs);
            expectClose(f.values, e.values, `${label} fused ${activation}`);
            expectedCalls += 1;
          }
        }
      }
    }
    expect(heapSimdCalls().matMul - calls).toBe(expectedCalls);
  });
});

/** Same NaN/±∞ pattern as cpu, finite entries within 1e-5 relative to the largest finite one. */
function expectClose(actual: Float32Array, expected: Float32Array, label: string) {
  let scale = 0;
  for (const v of expected) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.length; i++) {
    const [x, y] = [actual[i], expected[i]];
    if (Number.isFinite(y)) {
      expect(Math.abs(x - y), `${label} entry ${i}`).toBeLessThanOrEqual(1e-5 * (scale || 1));
    } else {
      expect(
        Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)),
        `${label} entry ${i}: ${x} vs ${y}`,
      ).toBe(true);
    }
  }
}

describe('the small-product path against XNNPACK', () => {
  it('equals tfjs-backend-wasm’s own kernel bit for bit (the same float32 chain over k), bias and relu included', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const rng = new SeededRandom(34);
    for (const [m, k, n] of [
      [32, 256, 120],
      [64, 128, 10],
      [32, 84, 10],
      [7, 13, 3],
      [9, 17, 40], // rows in pairs and an odd last one; 2 × 16 columns paired, 8 after
    ]) {
      const [a, b, bias] = [
        rng.normalTensor([1, m, k]),
        rng.normalTensor([1, k, n]),
        rng.normalTensor([n]),
      ];
      const calls = heapSimdCalls().matMul;
      const ours = tf.engine().runKernel('_FusedMatMul', { a, b, bias }, {
        transposeA: false,
        transposeB: false,
        activation: 'relu',
      } as never) as tf.Tensor;
      expect(heapSimdCalls().matMul).toBe(calls + 1);
      const xnnpack = runOriginal(
        '_FusedMatMul',
        backend,
        { a, b, bias },
        {
          transposeA: false,
          transposeB: false,
          activation: 'relu',
        },
      );
      const [x, y] = [ours.dataSync(), backend.typedArrayFromHeap(xnnpack) as Float32Array];
      for (let i = 0; i < x.length; i++) {
        if (!Object.is(x[i], y[i]))
          throw new Error(`[${m},${k},${n}] entry ${i}: ${x[i]} vs ${y[i]}`);
      }
      disposeIntermediate(backend, xnnpack);
      tf.dispose([a, b, bias, ours]);
    }
  });
});
