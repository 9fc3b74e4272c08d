import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { heapSimdCalls } from './heap-simd';
import {
  type HostTensor,
  relativeError,
  runKernelOn,
  usableGeometry,
} from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** Values with many exact ties (ReLU-like zeros, repeated levels) and some −∞, where the tie rule matters. */
function tiedHost(rng: SeededRandom, shape: number[]): HostTensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) {
    const kind = rng.int(10);
    values[i] =
      kind < 4 ? 0 : kind === 4 ? Number.NEGATIVE_INFINITY : Math.round(rng.normal() * 3) / 2;
  }
  return { shape, values };
}

async function maxPoolGradOnBoth(rng: SeededRandom, x: HostTensor, attrs: Record<string, unknown>) {
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize as [number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as 'same',
    attrs.dimRoundingMode as 'floor',
  );
  await tf.setBackend('cpu');
  const output = tf.tidy(() =>
    tf.maxPool(
      tf.tensor4d(x.values, x.shape as never),
      attrs.filterSize as never,
      attrs.strides as never,
      attrs.pad as never,
      attrs.dimRoundingMode as never,
    ),
  );
  const y = { shape: output.shape, values: (await output.data()) as Float32Array };
  output.dispose();
  const dy = {
    shape: info.outShape,
    values: rng.normalArray(info.outShape.reduce((a, b) => a * b, 1)),
  };
  const inputs = { dy, input: x, output: y };
  const expected = await runKernelOn('cpu', 'MaxPoolGrad', inputs, attrs as never);
  const actual = await runKernelOn('wasm', 'MaxPoolGrad', inputs, attrs as never);
  return { expected, actual };
}

describe('MaxPoolGrad on wasm', () => {
  it('matches the cpu kernel (first maximum wins ties) on random windows, strides and paddings', async () => {
    const rng = new SeededRandom(41);
    let checked = 0;
    while (checked < 30) {
      const shape = [1 + rng.int(3), 2 + rng.int(9), 2 + rng.int(9), 1 + rng.int(5)];
      const filterSize: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
      const strides: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
      const pad = (['same', 'valid', 0, 1] as const)[rng.int(4)];
      const dimRoundingMode =
        typeof pad === 'number' ? (['floor', 'round', 'ceil'] as const)[rng.int(3)] : undefined;
      if (typeof pad === 'number' && (filterSize[0] <= pad || filterSize[1] <= pad)) continue;
      const info = usableGeometry(() =>
        backend_util.computePool2DInfo(
          shape as never,
          filterSize,
          strides,
          1,
          pad,
          dimRoundingMode,
        ),
      );
      if (!info) continue;
      const x =
        rng.int(2) === 0
          ? tiedHost(rng, shape)
          : { shape, values: rng.normalArray(shape.reduce((a, b) => a * b, 1)) };
      const attrs = { filterSize, strides, pad, dimRoundingMode };
      const { expected, actual } = await maxPoolGradOnBoth(rng, x, attrs);
      expect(relativeError(actual, expected), JSON.stringify({ shape, ...attrs })).toBeLessThan(
        1e-6,
      );
      checked++;
    }
  });

  it('matches the cpu kernel on the zoo CNNs’ 2×2 / stride-2 pooling, ties included', async () => {
    const rng = new SeededRandom(42);
    for (const shape of [
      [2, 8, 8, 3],
      [3, 7, 9, 5],
      [1, 28, 28, 4],
      // Multiples of 4 channels take the SIMD kernel, odd sizes leave a row uncovered.
      [3, 9, 7, 8],
      [4, 14, 14, 32],
    ]) {
      const attrs = { filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
      const { expected, actual } = await maxPoolGradOnBoth(rng, tiedHost(rng, shape), attrs);
      expect(relativeError(actual, expected), JSON.stringify(shape)).toBeLessThan(1e-6);
    }
  });

  it('runs non-overlapping windows of any channel count in the SIMD kernel, exactly as cpu (ties, −∞, NaN)', async () => {
    const rng = new SeededRandom(44);
    for (const [shape, window] of [
      [[2, 24, 24, 6], 2], // LeNet-5's first pooling
      [[3, 8, 8, 1], 2],
      [[2, 9, 7, 2], 3],
      [[1, 10, 10, 7], 2],
      // 2×2 with C ≥ 4: the pointer-stepping path, last channel group overlapping, a row and column uncovered.
      [[2, 9, 7, 5], 2],
      [[2, 8, 8, 16], 2],
      [[2, 6, 9, 13], 3],
    ] as const) {
      const x = tiedHost(rng, [...shape]);
      // A NaN beside larger values: cpu's `v > best` never picks it.
      x.values[3] = Number.NaN;
      const calls = heapSimdCalls().maxPoolGrad;
      const attrs = { filterSize: [window, window], strides: [window, window], pad: 'valid' };
      const { expected, actual } = await maxPoolGradOnBoth(rng, x, attrs);
      expect(heapSimdCalls().maxPoolGrad, JSON.stringify(shape)).toBe(calls + 1);
      expect(Array.from(actual.values), JSON.stringify(shape)).toEqual(Array.from(expected.values));
    }
  });
});

describe('Sum on wasm', () => {
  it('matches the cpu kernel for leading-axis (fast path) and other reductions', async () => {
    const rng = new SeededRandom(43);
    const cases: Array<[number[], number[] | number, boolean]> = [
      [[4, 5, 6, 7], [0, 1, 2], false],
      [[4, 5, 6, 7], [0, 1, 2], true],
      [[64, 3], [0], false],
      // A conv bias gradient: 50 176 rows, float32 accumulation.
      [[64, 28, 28, 32], [0, 1, 2], false],
      [[3, 4, 5], [1, 0], false],
      [[3, 4, 5], [2], false],
      [[3, 4, 5], [0, 2], true],
      [[3, 4, 5], [0, 1, 2], false],
      [[6, 2], -1, false],
    ];
    for (const [shape, axis, keepDims] of cases) {
      const x = { shape, values: rng.normalArray(shape.reduce((a, b) => a * b, 1)) };
      const attrs = { axis, keepDims } as never;
      const expected = await runKernelOn('cpu', 'Sum', { x }, attrs);
      const actual = await runKernelOn('wasm', 'Sum', { x }, attrs);
      expect(
        relativeError(actual, expected),
        JSON.stringify({ shape, axis, keepDims }),
      ).toBeLessThan(1e-5);
    }
  });
});
