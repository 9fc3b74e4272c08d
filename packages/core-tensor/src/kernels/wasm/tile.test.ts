import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { randomHost, runKernelOn } from './testing/compare-with-cpu';
import { tileConfig } from './tile';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

describe('Tile on wasm', () => {
  it('is trustgrad’s kernel', () => {
    expect(tf.getKernel('Tile', 'wasm')?.kernelFunc).toBe(tileConfig.kernelFunc);
  });

  it('equals cpu bit for bit on random ranks, shapes and reps (NaN, ±0, ±∞ copied as they are)', async () => {
    const rng = new SeededRandom(71);
    const cases: Array<[number[], number[]]> = [
      [
        [1, 1, 1, 16],
        [128, 32, 32, 1],
      ], // BatchNorm's statistics to a ResNet-20 activation
      [[3], [4]],
      [
        [2, 3],
        [1, 1],
      ],
      [
        [2, 3],
        [3, 2],
      ],
      [
        [1, 4, 1],
        [2, 1, 5],
      ],
      [
        [2, 1, 3, 2],
        [1, 3, 1, 2],
      ],
    ];
    for (let k = 0; k < 20; k++) {
      const rank = 1 + rng.int(5);
      cases.push([
        Array.from({ length: rank }, () => 1 + rng.int(4)),
        Array.from({ length: rank }, () => 1 + rng.int(3)),
      ]);
    }
    for (const [shape, reps] of cases) {
      const x = randomHost(rng, shape);
      const special = [Number.NaN, -0, Infinity, -Infinity, 1e-40];
      for (let i = 0; i < x.values.length; i += 3) x.values[i] = special[rng.int(special.length)];
      const expected = await runKernelOn('cpu', 'Tile', { x }, { reps });
      const actual = await runKernelOn('wasm', 'Tile', { x }, { reps });
      expect(actual.shape, JSON.stringify({ shape, reps })).toEqual(expected.shape);
      for (let i = 0; i < expected.values.length; i++) {
        if (!Object.is(actual.values[i], expected.values[i])) {
          throw new Error(
            `${JSON.stringify({ shape, reps })} entry ${i}: ${actual.values[i]} vs ${expected.values[i]}`,
          );
        }
      }
    }
  });

  it('tiles int32 and bool tensors and zero-size outputs, and leaves nothing behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      expect(Array.from(tf.tile(tf.tensor1d([1, -2], 'int32'), [3]).dataSync())).toEqual([
        1, -2, 1, -2, 1, -2,
      ]);
      expect(
        Array.from(tf.tile(tf.tensor2d([[true, false]], [1, 2], 'bool'), [2, 1]).dataSync()),
      ).toEqual([1, 0, 1, 0]);
      expect(tf.tile(tf.zeros([2, 3]), [0, 1]).shape).toEqual([0, 3]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
