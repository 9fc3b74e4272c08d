import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { addConfig } from './broadcast-add';
import { type HostTensor, randomHost, runKernelOn } from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const EDGE = [0, -0, 1e-30, -1e-40, 3e38, -3e38, Number.NaN, Infinity, -Infinity];

function expectIdentical(actual: HostTensor, expected: HostTensor, label: string) {
  expect(actual.shape, label).toEqual(expected.shape);
  for (let i = 0; i < expected.values.length; i++) {
    if (!Object.is(actual.values[i], expected.values[i])) {
      throw new Error(
        `${label}: entry ${i} is ${actual.values[i]}, cpu gives ${expected.values[i]}`,
      );
    }
  }
}

describe('Add on wasm (bias fast path)', () => {
  it('is trustgrad’s kernel', () => {
    expect(tf.getKernel('Add', 'wasm')?.kernelFunc).toBe(addConfig.kernelFunc);
  });

  it('equals cpu bit for bit for [..., C] + [C] in either order, edge values included', async () => {
    const rng = new SeededRandom(61);
    for (const shape of [
      [32, 24, 24, 6], // LeNet-5 conv1's bias
      [32, 84],
      [3, 5, 7],
      [2, 1],
      [4, 3, 2, 1, 5],
    ]) {
      const channels = shape[shape.length - 1];
      const full = randomHost(rng, shape);
      const vector = randomHost(rng, [channels]);
      for (let i = 0; i < full.values.length; i += 7) full.values[i] = EDGE[rng.int(EDGE.length)];
      vector.values[0] = EDGE[rng.int(EDGE.length)];
      for (const [a, b] of [
        [full, vector],
        [vector, full],
      ]) {
        const expected = await runKernelOn('cpu', 'Add', { a, b }, {});
        const actual = await runKernelOn('wasm', 'Add', { a, b }, {});
        expectIdentical(actual, expected, JSON.stringify({ a: a.shape, b: b.shape }));
      }
    }
    // −0 + −0 stays −0 (and +0 + −0 is +0), as on cpu.
    const z = { shape: [1, 2], values: Float32Array.from([-0, 0]) };
    const m = { shape: [2], values: Float32Array.from([-0, -0]) };
    expectIdentical(
      await runKernelOn('wasm', 'Add', { a: z, b: m }, {}),
      {
        shape: [1, 2],
        values: Float32Array.from([-0, 0]),
      },
      '±0',
    );
  });

  it('hands every other shape and dtype to tfjs’s own kernel, with the same results as cpu', async () => {
    const rng = new SeededRandom(62);
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
    ]) {
      const a = randomHost(rng, sa);
      const b = randomHost(rng, sb);
      const expected = await runKernelOn('cpu', 'Add', { a, b }, {});
      const actual = await runKernelOn('wasm', 'Add', { a, b }, {});
      expectIdentical(actual, expected, JSON.stringify({ sa, sb }));
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
