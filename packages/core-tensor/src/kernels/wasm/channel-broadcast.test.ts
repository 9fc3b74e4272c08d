import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { addConfig, multiplyConfig, subConfig } from './channel-broadcast';
import { heapSimdCalls } from './heap-simd';
import { expectIdenticalHost, randomHost, runKernelOn } from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const EDGE = [0, -0, 1e-30, -1e-40, 3e38, -3e38, Number.NaN, Infinity, -Infinity];

const expectIdentical = expectIdenticalHost;

describe('Add, Multiply, Sub on wasm (per-channel fast path)', () => {
  it('are trustgrad’s kernels', () => {
    expect(tf.getKernel('Add', 'wasm')?.kernelFunc).toBe(addConfig.kernelFunc);
    expect(tf.getKernel('Multiply', 'wasm')?.kernelFunc).toBe(multiplyConfig.kernelFunc);
    expect(tf.getKernel('Sub', 'wasm')?.kernelFunc).toBe(subConfig.kernelFunc);
  });

  for (const op of ['Add', 'Multiply', 'Sub']) {
    it(`${op}: equals cpu bit for bit for [..., C] with [C] or [1, …, 1, C] in either order, edge values included`, async () => {
      const rng = new SeededRandom(61);
      const calls = heapSimdCalls().perChannelBinary;
      for (const [shape, vectorShape] of [
        [[32, 24, 24, 6], [6]], // LeNet-5 conv1's bias
        [
          [8, 6, 6, 16],
          [1, 1, 1, 16],
        ], // BatchNorm's per-channel statistics
        [[32, 84], [84]],
        [
          [32, 84],
          [1, 84],
        ],
        [
          [3, 5, 7],
          [1, 7],
        ],
        [[2, 1], [1]],
        [[4, 3, 2, 1, 5], [5]],
      ]) {
        const full = randomHost(rng, shape);
        const vector = randomHost(rng, vectorShape);
        for (let i = 0; i < full.values.length; i += 7) full.values[i] = EDGE[rng.int(EDGE.length)];
        vector.values[0] = EDGE[rng.int(EDGE.length)];
        for (const [a, b] of [
          [full, vector],
          [vector, full],
        ]) {
          const expected = await runKernelOn('cpu', op, { a, b }, {});
          const actual = await runKernelOn('wasm', op, { a, b }, {});
          expectIdentical(actual, expected, `${op} ${JSON.stringify({ a: a.shape, b: b.shape })}`);
        }
      }
      // Every pair above, both orders, ran the SIMD loop.
      expect(heapSimdCalls().perChannelBinary - calls).toBe(14);
    });
  }

  it('small outputs of any broadcast (random ranks, axes of size 1 on either side) equal cpu bit for bit', async () => {
    const rng = new SeededRandom(63);
    for (let k = 0; k < 40; k++) {
      const rank = 1 + rng.int(4);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(6));
      const sa = shape.map((d) => (rng.int(3) === 0 ? 1 : d));
      const sb = shape.map((d) => (rng.int(3) === 0 ? 1 : d)).slice(rng.int(rank));
      const op = ['Add', 'Multiply', 'Sub'][rng.int(3)];
      const [a, b] = [randomHost(rng, sa), randomHost(rng, sb)];
      if (a.values.length) a.values[0] = EDGE[rng.int(EDGE.length)];
      const expected = await runKernelOn('cpu', op, { a, b }, {});
      const actual = await runKernelOn('wasm', op, { a, b }, {});
      expectIdentical(actual, expected, `${op} ${JSON.stringify({ sa, sb })}`);
    }
  });

  it('same-shape small operands (a dense layer’s [32, 120] activations and gradients) equal cpu bit for bit, edge values in both', async () => {
    const rng = new SeededRandom(64);
    for (const [sa, sb] of [
      [
        [32, 120],
        [32, 120],
      ],
      [
        [1, 32, 84],
        [32, 84],
      ],
      [[7], [7]],
    ]) {
      const [a, b] = [randomHost(rng, sa), randomHost(rng, sb)];
      for (let i = 0; i < a.values.length; i += 3) a.values[i] = EDGE[(i / 3) % EDGE.length];
      for (let i = 1; i < b.values.length; i += 5) b.values[i] = EDGE[(i * 7) % EDGE.length];
      for (const op of ['Add', 'Multiply', 'Sub']) {
        const expected = await runKernelOn('cpu', op, { a, b }, {});
        const actual = await runKernelOn('wasm', op, { a, b }, {});
        expectIdentical(actual, expected, `${op} ${JSON.stringify({ sa, sb })}`);
      }
    }
  });

  it('same-shape large operands (a residual add) by the SIMD binaryElementwise equal cpu bit for bit, edge values and a scalar tail included', async () => {
    const rng = new SeededRandom(65);
    const calls = heapSimdCalls().binaryElementwise;
    for (const shape of [[4, 16, 16, 32], [4103], [3, 41, 37]]) {
      const [a, b] = [randomHost(rng, shape), randomHost(rng, shape)];
      for (let i = 0; i < a.values.length; i += 3) a.values[i] = EDGE[(i / 3) % EDGE.length];
      for (let i = 1; i < b.values.length; i += 5) b.values[i] = EDGE[(i * 7) % EDGE.length];
      for (const op of ['Add', 'Multiply', 'Sub']) {
        const expected = await runKernelOn('cpu', op, { a, b }, {});
        const actual = await runKernelOn('wasm', op, { a, b }, {});
        expectIdentical(actual, expected, `${op} ${JSON.stringify(shape)}`);
      }
    }
    expect(heapSimdCalls().binaryElementwise - calls).toBe(9);
  });

  it('keeps signed zeros as cpu does (−0 + −0 = −0, +0 + −0 = +0, −0 · 1 = −0)', async () => {
    const z = { shape: [1, 2], values: Float32Array.from([-0, 0]) };
    const m = { shape: [2], values: Float32Array.from([-0, -0]) };
    const one = { shape: [2], values: Float32Array.from([1, 1]) };
    expectIdentical(
      await runKernelOn('wasm', 'Add', { a: z, b: m }, {}),
      { shape: [1, 2], values: Float32Array.from([-0, 0]) },
      '±0 add',
    );
    expectIdentical(
      await runKernelOn('wasm', 'Multiply', { a: z, b: one }, {}),
      { shape: [1, 2], values: Float32Array.from([-0, 0]) },
      '±0 mul',
    );
  });

  it('computes other small broadcasts itself and hands the rest to tfjs’s own kernels, with the same results as cpu', async () => {
    const rng = new SeededRandom(62);
    for (const op of ['Add', 'Multiply', 'Sub']) {
      for (const [sa, sb] of [
        [
          [4, 5],
          [4, 5],
        ],
        [
          [4, 5],
          [4, 1],
        ],
        [
          [3, 1, 5],
          [2, 1],
        ],
        [[6], [6]],
        [[2, 3], []],
        [
          [1, 1, 3],
          [2, 3],
        ],
        // softmax cross-entropy's, small: computed off the thread pool
        [
          [32, 10],
          [32, 1],
        ],
        // 4800 outputs: tfjs's kernel
        [
          [80, 60],
          [80, 1],
        ],
        [
          [2, 1, 70, 40],
          [3, 1, 1],
        ],
      ]) {
        const a = randomHost(rng, sa);
        const b = randomHost(rng, sb);
        const expected = await runKernelOn('cpu', op, { a, b }, {});
        const actual = await runKernelOn('wasm', op, { a, b }, {});
        expectIdentical(actual, expected, `${op} ${JSON.stringify({ sa, sb })}`);
      }
    }
    await tf.setBackend('wasm');
    const ints = tf.tidy(() =>
      tf.add(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')),
    );
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([4, 6]);
    ints.dispose();
  });
});
