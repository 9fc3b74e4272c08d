import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { conv2dCases, randomHost, relativeError, runKernelOn } from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

describe('Conv2DBackpropInput on wasm', () => {
  it('is trustgrad’s replacement, not tfjs-backend-wasm’s own kernel', async () => {
    const { conv2dBackpropInputConfig } = await import('./conv2d-backprop-input');
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(
      conv2dBackpropInputConfig.kernelFunc,
    );
  });

  it('matches the cpu kernel on random shapes, strides and paddings', async () => {
    const rng = new SeededRandom(12);
    for (const { inputShape, filterShape, strides, pad, dimRoundingMode, info } of conv2dCases(
      rng,
      40,
    )) {
      const inputs = { dy: randomHost(rng, info.outShape), filter: randomHost(rng, filterShape) };
      const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode, inputShape } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
      const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
      const label = JSON.stringify({ inputShape, filterShape, strides, pad, dimRoundingMode });
      expect(relativeError(actual, expected), label).toBeLessThan(1e-4);
    }
  });

  it('matches the cpu kernel when dy is larger than the forward output (a conv2dTranspose outputShape smaller than its input implies)', async () => {
    // tfjs's kernels read only dy's leading rows/columns there; tfjs's own op
    // test "conv2dTranspose … input=8x8x8,output=4x4x8,f=8,s=1,p=same" uses it.
    const rng = new SeededRandom(3);
    for (const [dyHW, inHW, f, s, pad] of [
      [8, 4, 8, 1, 'same'],
      [6, 3, 3, 1, 'valid'],
      [7, 5, 2, 2, 'same'],
    ] as const) {
      const inputShape: [number, number, number, number] = [2, inHW, inHW, 3];
      const filterShape = [f, f, 3, 4];
      const inputs = {
        dy: randomHost(rng, [2, dyHW, dyHW, 4]),
        filter: randomHost(rng, filterShape),
      };
      const attrs = { strides: s, pad, dataFormat: 'NHWC', inputShape } as never;
      const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
      const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
      expect(
        relativeError(actual, expected),
        JSON.stringify({ dyHW, inHW, f, s, pad }),
      ).toBeLessThan(1e-5);
    }
  });
});
