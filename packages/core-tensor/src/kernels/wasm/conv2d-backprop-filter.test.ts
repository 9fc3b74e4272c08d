import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { conv2dCases, randomHost, relativeError, runKernelOn } from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** wasm's Conv2DBackpropFilter against cpu's (relative error) on random NHWC `x` of `shape` and `dy`. */
async function filterGradientError(
  rng: SeededRandom,
  shape: number[],
  filterShape: [number, number, number, number],
  strides: number,
  pad: 'same' | 'valid' | number,
): Promise<number> {
  const x = randomHost(rng, shape);
  const info = backend_util.computeConv2DInfo(
    shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
  );
  const inputs = { x, dy: randomHost(rng, info.outShape) };
  const attrs = { strides, pad, dataFormat: 'NHWC', filterShape } as never;
  const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
  const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
  return relativeError(actual, expected);
}

describe('Conv2DBackpropFilter on wasm', () => {
  it('is registered (tfjs-backend-wasm ships none)', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('matches the cpu kernel on random shapes, strides and paddings', async () => {
    const rng = new SeededRandom(11);
    for (const { inputShape, filterShape, strides, pad, dimRoundingMode, info } of conv2dCases(
      rng,
      40,
    )) {
      const inputs = { x: randomHost(rng, inputShape), dy: randomHost(rng, info.outShape) };
      const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode, filterShape } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      const label = JSON.stringify({
        x: inputs.x.shape,
        filterShape,
        strides,
        pad,
        dimRoundingMode,
      });
      expect(relativeError(actual, expected), label).toBeLessThan(1e-4);
    }
  });

  it('matches the cpu kernel in both formulations (im2col for few filter rows, conv for many)', async () => {
    const rng = new SeededRandom(4);
    for (const filterShape of [
      [3, 3, 1, 8],
      [3, 3, 8, 8],
      [3, 3, 16, 8],
      [5, 5, 12, 4],
    ] as Array<[number, number, number, number]>) {
      for (const pad of ['same', 'valid'] as const) {
        const error = await filterGradientError(
          rng,
          [3, 9, 8, filterShape[2]],
          filterShape,
          1,
          pad,
        );
        expect(error, JSON.stringify({ filterShape, pad })).toBeLessThan(1e-4);
      }
    }
  });

  it('matches the cpu kernel in the SIMD patch formulation over many pixel chunks and column blocks', async () => {
    const rng = new SeededRandom(6);
    // 1 600 and 1 458 pixels: several 512-pixel chunks; 20 and 36 output channels: 16-wide and 4-wide blocks.
    for (const [shape, filterShape, strides, pad] of [
      [[4, 20, 20, 2], [3, 3, 2, 20], 1, 'same'],
      [[2, 55, 55, 3], [4, 3, 3, 36], 2, 'valid'],
    ] as Array<[number[], [number, number, number, number], number, 'same' | 'valid']>) {
      const error = await filterGradientError(rng, shape, filterShape, strides, pad);
      expect(error, JSON.stringify({ shape, filterShape })).toBeLessThan(1e-5);
    }
  });

  it('matches the cpu kernel when the input plays the filter (stride 1, more output than input values)', async () => {
    const rng = new SeededRandom(5);
    const explicit = [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ] as never;
    for (const [filterShape, pad] of [
      [[3, 3, 12, 24], 'same'],
      [[3, 3, 12, 24], 'valid'],
      [[3, 3, 12, 24], 1],
      [[2, 4, 10, 20], 'same'],
      [[5, 5, 4, 16], 'same'],
      [[1, 1, 80, 96], 'valid'],
      [[3, 2, 9, 18], explicit],
    ] as Array<[[number, number, number, number], 'same' | 'valid' | number]>) {
      const error = await filterGradientError(rng, [3, 9, 8, filterShape[2]], filterShape, 1, pad);
      expect(error, JSON.stringify({ filterShape, pad })).toBeLessThan(1e-4);
    }
  });

  it('handles NCHW input like the cpu kernel', async () => {
    const rng = new SeededRandom(3);
    const filterShape: [number, number, number, number] = [3, 3, 2, 4];
    const inputs = { x: randomHost(rng, [2, 2, 7, 6]), dy: randomHost(rng, [2, 4, 4, 3]) };
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape } as never;
    const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    expect(relativeError(actual, expected)).toBeLessThan(1e-4);
  });
});
