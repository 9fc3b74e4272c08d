import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { padFeatureMap } from './pad-feature-map';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const row = (values: number[]) => tf.tensor4d(values, [1, 1, values.length, 1]);
const padRow = (values: number[], r: number, mode: 'reflect' | 'same' | 'replicate') => {
  // Pad a 3-row map and read its middle row, so the width axis is what is checked.
  const x = tf.tile(row(values), [1, 3, 1, 1]) as tf.Tensor4D;
  const padded = padFeatureMap(x, r, mode);
  const middle = Array.from(tf.slice(padded, [0, r + 1, 0, 0], [1, 1, -1, 1]).dataSync());
  tf.dispose([x, padded]);
  return middle;
};

describe('padFeatureMap', () => {
  it('reflect mirrors without repeating the edge: cb|abcd|cb', () => {
    expect(padRow([1, 2, 3, 4], 2, 'reflect')).toEqual([3, 2, 1, 2, 3, 4, 3, 2]);
  });
  it('replicate repeats the edge: aa|abcd|dd', () => {
    expect(padRow([1, 2, 3, 4], 2, 'replicate')).toEqual([1, 1, 1, 2, 3, 4, 4, 4]);
  });
  it('same pads zeros', () => {
    expect(padRow([1, 2, 3, 4], 1, 'same')).toEqual([0, 1, 2, 3, 4, 0]);
  });
  it('pads both spatial axes, not batch or channels', () => {
    const x = tf.ones([2, 3, 5, 4]) as tf.Tensor4D;
    for (const mode of ['reflect', 'same', 'replicate'] as const) {
      const p = padFeatureMap(x, 2, mode);
      expect(p.shape).toEqual([2, 7, 9, 4]);
      p.dispose();
    }
    x.dispose();
  });

  it('gradient folds the border back onto the pixels it copied (reflect and replicate)', () => {
    // d/dx Σ pad(x) counts how often each pixel appears in the padded map: per axis
    // reflect 3 2 |1 2 3 4 5| 4 3 → [1,2,3,2,1]; replicate 1 1 |1 2 3 4 5| 5 5 → [3,1,1,1,3].
    const counts = (mode: 'reflect' | 'replicate') => {
      const x = tf.randomUniform([1, 5, 5, 1]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(padFeatureMap(v as tf.Tensor4D, 2, mode)))(x);
      const out = Array.from(g.dataSync());
      tf.dispose([x, g]);
      return out;
    };
    const outer = (a: number[]) => a.flatMap((p) => a.map((q) => p * q));
    expect(counts('reflect')).toEqual(outer([1, 2, 3, 2, 1]));
    expect(counts('replicate')).toEqual(outer([3, 1, 1, 1, 3]));
  });

  it('rejects reflect padding as wide as the map, naming the fix', () => {
    const x = tf.zeros([1, 2, 8, 1]) as tf.Tensor4D;
    expect(() => padFeatureMap(x, 2, 'reflect')).toThrow(/2×8.*replicate/);
    x.dispose();
  });
});
