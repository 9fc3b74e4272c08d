import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { ShapeError } from '../errors/trustgrad-error';
import { registerTrainingKernels } from '../kernels/register-training-kernels';
import { SeededRandom } from '../random/seeded-random';
import {
  composedMovingAverageUpdate,
  MOVING_AVERAGE_UPDATE,
  movingAverageUpdate,
} from './moving-average-update';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  registerTrainingKernels();
});

const SPECIAL = [0, -0, Number.NaN, 1e-40, -1e-40, 1e-30, -3e38, 3e38, 1e20, Infinity, -Infinity];

/** Equal entry by entry as `Object.is` sees it (NaN = NaN, +0 ≠ −0). */
function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string) {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${label}: entry ${i} is ${actual[i]}, the reference gives ${expected[i]}`);
    }
  }
}

/** A moving statistic and a batch value of `n` channels, edge values in both. */
function pair(rng: SeededRandom, n: number, positive: boolean) {
  const pick = () => SPECIAL[rng.int(SPECIAL.length)];
  const draw = () =>
    Float32Array.from(rng.normalArray(n), (v) => (positive ? Math.abs(v) + 0.5 : v));
  const [average, value] = [draw(), draw()];
  for (let i = 0; i < n; i++) {
    if (rng.int(5) === 0) average[i] = pick();
    if (rng.int(5) === 0) value[i] = pick();
  }
  return [average, value] as const;
}

/** The update of `arrays` on the current backend, fused or composed, as host arrays. */
function update(
  arrays: (readonly [Float32Array, Float32Array])[],
  momentum: number,
  fused: boolean,
) {
  return tf.tidy(() => {
    const pairs = arrays.map(([a, v]) => [tf.tensor1d(a), tf.tensor1d(v)] as const);
    return (fused ? movingAverageUpdate : composedMovingAverageUpdate)(pairs, momentum).map(
      (t) => t.dataSync() as Float32Array,
    );
  });
}

describe('movingAverageUpdate (fused moving statistics)', () => {
  it('equals the 3-op composition bit for bit on cpu and wasm, edge values included, all pairs in one kernel call', async () => {
    const rng = new SeededRandom(4);
    for (const momentum of [0.99, 0.9, 0.1, 0, 1, 0.999]) {
      for (const channels of [1, 3, 5, 16, 17, 64, 512]) {
        const arrays = [pair(rng, channels, false), pair(rng, channels, true)];
        const label = `momentum ${momentum} C ${channels}`;
        await tf.setBackend('cpu');
        const reference = update(arrays, momentum, false);
        for (const backend of ['cpu', 'wasm']) {
          await tf.setBackend(backend);
          expect(tf.getKernel(MOVING_AVERAGE_UPDATE, backend)).toBeDefined();
          update(arrays, momentum, false).forEach((r, k) =>
            expectIdentical(r, reference[k], `${backend} composition ${label} pair ${k}`),
          );
          const info = await tf.profile(() =>
            update(arrays, momentum, true).forEach((r, k) =>
              expectIdentical(r, reference[k], `${backend} kernel ${label} pair ${k}`),
            ),
          );
          expect(info.kernels.map((k) => k.name)).toEqual([MOVING_AVERAGE_UPDATE]);
        }
      }
    }
  });

  it('computes the update by hand and leaks nothing', async () => {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const [m, v] = tf.tidy(() =>
        movingAverageUpdate(
          [
            [tf.tensor1d([0, 4]), tf.tensor1d([1, 2])],
            [tf.tensor1d([1]), tf.tensor1d([3])],
          ],
          0.75,
        ).map((t) => Array.from(t.dataSync())),
      );
      // 0 − (0 − 1)·0.25, 4 − (4 − 2)·0.25, 1 − (1 − 3)·0.25
      expect(m).toEqual([0.25, 3.5]);
      expect(v).toEqual([1.5]);
      expect(movingAverageUpdate([], 0.9)).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('rejects mismatched shapes and falls back to the composition for non-float32 tensors', async () => {
    await tf.setBackend('cpu');
    const [a, b] = [tf.zeros([4]), tf.zeros([3])];
    expect(() => movingAverageUpdate([[a, b]], 0.9)).toThrow(ShapeError);
    const info = await tf.profile(() =>
      tf.tidy(() => {
        const [r] = movingAverageUpdate(
          [[tf.tensor1d([4], 'int32'), tf.tensor1d([2], 'int32')]],
          0,
        );
        expect(Array.from(r.dataSync())).toEqual([2]);
      }),
    );
    expect(info.kernels.map((k) => k.name)).not.toContain(MOVING_AVERAGE_UPDATE);
    tf.dispose([a, b]);
  });
});
