import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../testing/fixtures';
import { absolute } from './absolute';
import { clipPercentile, percentile } from './clip-percentile';
import { normalize } from './normalize';
import { reduceChannels } from './reduce-channels';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('post-processing', () => {
  const map = () => tf.tensor4d([1, -2, 3, 0, -4, 4, 2, 2], [1, 2, 2, 2]); // pixels (1,−2) (3,0) (−4,4) (2,2)

  it('abs and channel reductions give hand-computed values', () => {
    expect(Array.from(absolute(map()).dataSync())).toEqual([1, 2, 3, 0, 4, 4, 2, 2]);
    expect(Array.from(reduceChannels(map(), 'sum').dataSync())).toEqual([-1, 3, 0, 4]);
    expect(Array.from(reduceChannels(map(), 'max').dataSync())).toEqual([1, 3, 4, 2]);
    expect(Array.from(reduceChannels(map(), 'abs-sum').dataSync())).toEqual([3, 3, 8, 4]);
    expect(Array.from(reduceChannels(map(), 'abs-max').dataSync())).toEqual([2, 3, 4, 2]);
    expect(
      maxAbsDiff(reduceChannels(map(), 'l2').dataSync(), [
        Math.sqrt(5),
        3,
        Math.sqrt(32),
        Math.sqrt(8),
      ]),
    ).toBeLessThan(1e-6);
    expect(reduceChannels(map()).shape).toEqual([1, 2, 2, 1]);
    expect(() => reduceChannels(tf.zeros([2, 3]))).toThrow(/NHWC/);
  });

  it('normalises each sample on its own, and an all-zero map stays zero', () => {
    const two = tf.concat([map(), tf.zeros([1, 2, 2, 2])]);
    const maxAbs = normalize(two, 'max-abs').arraySync() as number[][][][];
    expect(maxAbs[0].flat(2)).toEqual([0.25, -0.5, 0.75, 0, -1, 1, 0.5, 0.5]);
    expect(maxAbs[1].flat(2).every((v) => v === 0)).toBe(true);
    expect(
      maxAbsDiff(
        normalize(map(), 'min-max').dataSync(),
        [5, 2, 7, 4, 0, 8, 6, 6].map((v) => v / 8),
      ),
    ).toBeLessThan(1e-6);
    expect(
      maxAbsDiff(
        normalize(map(), 'sum-abs').dataSync(),
        [1, -2, 3, 0, -4, 4, 2, 2].map((v) => v / 18),
      ),
    ).toBeLessThan(1e-6);
  });

  it('percentiles interpolate like numpy.percentile and clipping uses them per sample', () => {
    const rows = tf.tensor2d([
      [5, 1, 4, 2, 3],
      [10, 20, 30, 40, 50],
    ]);
    // numpy.percentile([1,2,3,4,5], 90) = 4.6; ([10..50], 25) = 20
    expect(maxAbsDiff(percentile(rows, 90).dataSync(), [4.6, 46])).toBeLessThan(1e-5);
    expect(maxAbsDiff(percentile(rows, 25).dataSync(), [2, 20])).toBeLessThan(1e-5);
    const clipped = clipPercentile(rows, { lower: 25, upper: 75 }).arraySync();
    expect(clipped).toEqual([
      [4, 2, 4, 2, 3],
      [20, 20, 30, 40, 40],
    ]);
    expect(() => clipPercentile(rows, { lower: 80, upper: 20 })).toThrow(/0 ≤ lower ≤ upper ≤ 100/);
  });
});
