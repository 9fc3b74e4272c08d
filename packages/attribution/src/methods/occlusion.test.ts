import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../index';
import { linearModel, maxAbsDiff, randomImages } from '../testing/fixtures';
import { featureAblation } from './feature-ablation';
import { occlusion } from './occlusion';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** A linear model over `[b, 3, 3, 1]` with 2 classes, weights `w[i][k]` for pixel i = 3·row + col. */
function linear3x3() {
  const w = Array.from({ length: 9 }, (_, i) => [0.5 * i - 2, (i % 3) - 1 + 0.25 * i]);
  const wt = tf.keep(tf.tensor2d(w));
  return { model: (x: tf.Tensor) => tf.matMul(tf.reshape(x, [x.shape[0], 9]), wt), w };
}

/** Captum's occlusion written out on plain arrays: mean drop over the covering windows. */
function referenceOcclusion(
  score: (pixels: number[]) => number,
  pixels: number[],
  baseline: number[],
  size: number,
  window: number,
  stride: number,
): number[] {
  const sum = new Array<number>(size * size).fill(0);
  const count = new Array<number>(size * size).fill(0);
  const positions = Math.floor((size - window) / stride) + 1;
  for (let r = 0; r < positions; r++)
    for (let c = 0; c < positions; c++) {
      const occluded = [...pixels];
      const inside: number[] = [];
      for (let i = r * stride; i < r * stride + window; i++)
        for (let j = c * stride; j < c * stride + window; j++) inside.push(i * size + j);
      for (const at of inside) occluded[at] = baseline[at];
      const drop = score(pixels) - score(occluded);
      for (const at of inside) {
        sum[at] += drop;
        count[at] += 1;
      }
    }
  return sum.map((s, i) => (count[i] ? s / count[i] : 0));
}

describe('occlusion', () => {
  it('with a 1-element window on a linear model is w_t ⊙ (x − b) exactly', () => {
    const { model, w } = linearModel(5);
    const x = randomImages([2, 2, 2, 1], 2);
    const baseline = randomImages([2, 2, 1], 3);
    const attr = explain(occlusion, model, x, { window: [1, 1], target: [0, 2], baseline });
    const xs = x.arraySync() as number[][][][];
    const bs = (baseline.arraySync() as number[][][]).flat(2);
    const got = attr.arraySync() as number[][][][];
    [0, 2].forEach((t, s) => {
      const expected = xs[s].flat(2).map((v, i) => (v - bs[i]) * w[i][t]);
      expect(maxAbsDiff(got[s].flat(2), expected)).toBeLessThan(1e-6);
    });
    tf.dispose([x, baseline, attr]);
  });

  it('averages overlapping windows as Captum does, and leaves features no window covers at 0', () => {
    const { model, w } = linear3x3();
    const x = randomImages([1, 3, 3, 1], 4);
    const pixels = Array.from(x.dataSync());
    const score = (p: number[]) => p.reduce((a, v, i) => a + v * w[i][1], 0);
    const zeros = new Array<number>(9).fill(0);
    for (const [window, stride] of [
      [2, 1],
      [2, 2],
      [3, 1],
    ]) {
      const attr = explain(occlusion, model, x, {
        window: [window, window],
        strides: stride,
        target: 1,
      });
      const expected = referenceOcclusion(score, pixels, zeros, 3, window, stride);
      expect(maxAbsDiff(attr.dataSync(), expected)).toBeLessThan(1e-6);
      attr.dispose();
    }
    // With a 2×2 window at stride 2 only the top-left window fits: the rest is 0, not NaN.
    const sparse = explain(occlusion, model, x, {
      window: [2, 2],
      strides: 2,
      target: 1,
    }).dataSync();
    expect([sparse[2], sparse[5], sparse[6], sparse[7], sparse[8]]).toEqual([0, 0, 0, 0, 0]);
    x.dispose();
  });

  it('on a CNN equals the array reference, does not depend on batchSize, and leaks nothing', async () => {
    const model = fmnistCnn({ seed: 3, inputShape: [8, 8, 1], filters: [2, 3], hiddenUnits: 5 });
    const x = randomImages([2, 8, 8, 1], 5);
    const a = explain(occlusion, model, x, {
      window: [3, 3],
      strides: 2,
      target: 4,
      batchSize: 64,
    });
    const b = explain(occlusion, model, x, { window: [3, 3], strides: 2, target: 4, batchSize: 3 });
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-5);
    const first = Array.from(tf.slice(x, 0, 1).dataSync());
    const score = (p: number[]) =>
      tf.tidy(() => (model.predict(tf.tensor4d(p, [1, 8, 8, 1])) as tf.Tensor).dataSync()[4]);
    const expected = referenceOcclusion(score, first, new Array(64).fill(0), 8, 3, 2);
    expect(maxAbsDiff(a.dataSync().slice(0, 64), expected)).toBeLessThan(1e-5);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0);
    expect(
      await countLeakedTensors(() =>
        explain(occlusion, model, x, { window: [4, 4], strides: 4, batchSize: 3 }),
      ),
    ).toBe(0);
    tf.dispose([x, a, b]);
    model.dispose();
  });

  it('takes a window per sample axis: [1, 1, 1] on RGB occludes one channel at a time, like feature ablation', () => {
    const model = fmnistCnn({ seed: 2, inputShape: [4, 4, 3], filters: [2, 2], hiddenUnits: 4 });
    const x = randomImages([2, 4, 4, 3], 11);
    const perChannel = explain(occlusion, model, x, { window: [1, 1, 1], target: 1 });
    const ablation = explain(featureAblation, model, x, { target: 1 });
    const wholePixel = explain(occlusion, model, x, { window: [1, 1], target: 1 });
    expect(maxAbsDiff(perChannel.dataSync(), ablation.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(perChannel.dataSync(), wholePixel.dataSync())).toBeGreaterThan(1e-6);
    tf.dispose([x, perChannel, ablation, wholePixel]);
    model.dispose();
  });

  it('rejects a window that does not fit and bad strides', () => {
    const { model } = linearModel();
    const x = randomImages([1, 2, 2, 1]);
    expect(() => explain(occlusion, model, x, { window: [3, 3] })).toThrow(/does not fit a sample/);
    expect(() => explain(occlusion, model, x, { window: [1, 1], strides: 0 })).toThrow(
      /strides 0 are invalid/,
    );
    x.dispose();
  });
});

describe('feature-ablation', () => {
  it('with single-feature groups equals occlusion with a 1-element window (a CNN, any output)', () => {
    const model = fmnistCnn({ seed: 1, inputShape: [6, 6, 1], filters: [2, 2], hiddenUnits: 4 });
    const x = randomImages([2, 6, 6, 1], 7);
    const a = explain(featureAblation, model, x, { output: 'prob', batchSize: 10 });
    const b = explain(occlusion, model, x, { window: [1, 1], output: 'prob' });
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    model.dispose();
  });

  it('credits a whole patch group with the drop of ablating it (linear model: Σ over the group)', () => {
    const { model, w } = linear3x3();
    const x = randomImages([1, 3, 3, 1], 8);
    const xs = Array.from(x.dataSync());
    const attr = explain(featureAblation, model, x, { patchSize: [2, 2], target: 0 }).dataSync();
    // Cells of 2×2: {0,1,3,4}, {2,5}, {6,7}, {8}.
    const cells = [[0, 1, 3, 4], [2, 5], [6, 7], [8]];
    for (const cell of cells) {
      const drop = cell.reduce((a, i) => a + xs[i] * w[i][0], 0);
      for (const i of cell) expect(attr[i]).toBeCloseTo(drop, 5);
    }
    x.dispose();
  });

  it('takes a per-sample superpixel mask, and leaks nothing', async () => {
    const { model, w } = linear3x3();
    const x = randomImages([2, 3, 3, 1], 9);
    const xs = x.arraySync() as number[][][][];
    const groups = [
      [0, 0, 1, 0, 2, 1, 3, 3, 1],
      [5, 5, 5, 5, 5, 5, 7, 7, 7],
    ];
    const mask = tf.tensor4d(groups.flat(), [2, 3, 3, 1], 'int32');
    const attr = explain(featureAblation, model, x, { featureMask: mask, target: 1, batchSize: 4 });
    const got = attr.arraySync() as number[][][][];
    for (let s = 0; s < 2; s++) {
      const flat = xs[s].flat(2);
      const expected = groups[s].map((g) =>
        groups[s].reduce((a, h, j) => a + (h === g ? flat[j] * w[j][1] : 0), 0),
      );
      expect(maxAbsDiff(got[s].flat(2), expected)).toBeLessThan(1e-5);
    }
    expect(
      await countLeakedTensors(() => explain(featureAblation, model, x, { featureMask: mask })),
    ).toBe(0);
    expect(() => explain(featureAblation, model, x, { featureMask: tf.zeros([2, 2]) })).toThrow(
      /featureMask has shape \[2, 2\]/,
    );
    expect(() =>
      explain(featureAblation, model, x, { featureMask: mask, patchSize: [2, 2] }),
    ).toThrow(/not both/);
    tf.dispose([x, mask, attr]);
  });
});
