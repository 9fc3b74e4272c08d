import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, randomImages } from '../testing/fixtures';
import { gaussianBlur, makeBaseline } from './baseline';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('baselines', () => {
  it('blur keeps a constant image constant and preserves the mean of a smooth ramp interior', () => {
    const constant = tf.fill([1, 6, 7, 2], 0.3);
    expect(maxAbsDiff(gaussianBlur(constant, 1.5).dataSync(), constant.dataSync())).toBeLessThan(
      1e-6,
    );
    // A linear ramp along the width is unchanged away from the edges (symmetric kernel).
    const ramp = tf.tile(tf.reshape(tf.range(0, 9, 1, 'float32'), [1, 1, 9, 1]), [1, 9, 1, 1]);
    const blurred = gaussianBlur(ramp, 1).arraySync() as number[][][][];
    expect(blurred[0][4][4][0]).toBeCloseTo(4, 5);
  });

  it('blur of an impulse is a normalised Gaussian (sums to 1, symmetric, peak at the centre)', () => {
    const impulse = tf.buffer([1, 15, 15, 1]);
    impulse.set(1, 0, 7, 7, 0);
    const out = gaussianBlur(impulse.toTensor(), 1.2);
    const v = out.arraySync() as number[][][][];
    expect(tf.sum(out).dataSync()[0]).toBeCloseTo(1, 5);
    expect(v[0][7][6][0]).toBeCloseTo(v[0][7][8][0], 7);
    expect(v[0][6][7][0]).toBeCloseTo(v[0][7][6][0], 7);
    expect(v[0][7][7][0] / v[0][7][8][0]).toBeCloseTo(Math.exp(1 / (2 * 1.2 * 1.2)), 4);
  });

  it('uniform noise lies in each sample range', () => {
    const x = tf.concat([tf.fill([1, 4, 4, 1], 2), randomImages([1, 4, 4, 1])]);
    const b = makeBaseline('uniform', x, { blurSigma: 1, seed: 1 }).arraySync() as number[][][][];
    expect(b[0].flat(2).every((v) => v === 2)).toBe(true);
    expect(b[1].flat(2).every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});
