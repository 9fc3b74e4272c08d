import * as tf from '@tensorflow/tfjs-core';
import { countLeakedTensors, fmnistCnn, initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../index';
import { linearModel, maxAbsDiff, quadraticModel, randomImages } from '../testing/fixtures';
import { smoothGrad } from './smoothgrad';
import { smoothGradSquared } from './smoothgrad-squared';
import { vanillaGradient } from './vanilla-gradient';
import { varGrad } from './vargrad';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('SmoothGrad, SmoothGrad², VarGrad', () => {
  it('SmoothGrad with σ → 0 equals the Vanilla Gradient of a CNN', () => {
    const model = fmnistCnn({ seed: 6, filters: [4, 8], hiddenUnits: 16 });
    const x = randomImages([2, 28, 28, 1], 1);
    const vg = explain(vanillaGradient, model, x);
    const zero = explain(smoothGrad, model, x, { noiseLevel: 0, samples: 3 });
    const tiny = explain(smoothGrad, model, x, { noiseLevel: 1e-7, samples: 3 });
    expect(maxAbsDiff(zero.dataSync(), vg.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(tiny.dataSync(), vg.dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, vg, zero, tiny]);
    model.dispose();
  });

  it('on a linear model: SmoothGrad = w, SmoothGrad² = w², VarGrad = 0 for any σ', () => {
    const { model, w } = linearModel(3);
    const x = randomImages([1, 2, 2, 1], 2);
    const opts = { target: 0, noiseLevel: 0.5, samples: 7, batchSize: 3 };
    expect(
      maxAbsDiff(
        explain(smoothGrad, model, x, opts).dataSync(),
        w.map((r) => r[0]),
      ),
    ).toBeLessThan(1e-5);
    expect(
      maxAbsDiff(
        explain(smoothGradSquared, model, x, opts).dataSync(),
        w.map((r) => r[0] ** 2),
      ),
    ).toBeLessThan(1e-5);
    expect(maxAbsDiff(explain(varGrad, model, x, opts).dataSync(), [0, 0, 0, 0])).toBeLessThan(
      1e-5,
    );
    x.dispose();
  });

  it('on a quadratic model: SmoothGrad → 2a⊙x and VarGrad → 4a²σ² (σ = level·range)', () => {
    const { model, a } = quadraticModel();
    const x = tf.tensor4d([0.2, 0.9, 0.5, 0.1], [1, 2, 2, 1]); // range 0.8
    const level = 0.25;
    const sigma = level * 0.8;
    const opts = { target: 0, noiseLevel: level, samples: 2000, batchSize: 500 };
    const sg = explain(smoothGrad, model, x, opts).dataSync();
    const vg = explain(varGrad, model, x, opts).dataSync();
    const sg2 = explain(smoothGradSquared, model, x, opts).dataSync();
    const xs = x.dataSync();
    for (let i = 0; i < 4; i++) {
      const mean = 2 * a[i][0] * xs[i];
      const variance = 4 * a[i][0] ** 2 * sigma ** 2;
      expect(Math.abs(sg[i] - mean)).toBeLessThan(4 * Math.sqrt(variance / 2000) + 1e-6);
      expect(Math.abs(vg[i] - variance) / variance).toBeLessThan(0.15);
      expect(sg2[i]).toBeCloseTo(vg[i] + sg[i] ** 2, 4);
    }
    x.dispose();
  });

  it('is deterministic under a seed, changes with it, and does not depend on batchSize', () => {
    const { model } = quadraticModel();
    const x = randomImages([3, 2, 2, 1], 5);
    const a = explain(varGrad, model, x, { seed: 1, samples: 9, batchSize: 100 }).dataSync();
    const b = explain(varGrad, model, x, { seed: 1, samples: 9, batchSize: 100 }).dataSync();
    const chunked = explain(varGrad, model, x, { seed: 1, samples: 9, batchSize: 6 }).dataSync();
    const c = explain(varGrad, model, x, { seed: 2, samples: 9 }).dataSync();
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, chunked)).toBeLessThan(1e-6);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-4);
    x.dispose();
  });

  it('leaks no tensor', async () => {
    const { model } = quadraticModel();
    const x = randomImages([2, 2, 2, 1]);
    for (const method of [smoothGrad, smoothGradSquared, varGrad]) {
      expect(
        await countLeakedTensors(() => explain(method, model, x, { samples: 5, batchSize: 4 })),
      ).toBe(0);
    }
    x.dispose();
  });
});
