import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, InvalidOptionError, initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { linearModel } from '../testing/test-models';
import { faithfulnessCorrelation } from './faithfulness-correlation';
import { monotonicity } from './monotonicity';
import { monotonicityCorrelation } from './monotonicity-correlation';
import { pixelFlipping } from './pixel-flipping';
import { sufficiency } from './sufficiency';

await initBackend({ backend: 'cpu', log: () => {} });

// One-logit linear model on 2×2×1 images: f(x) = x·w, w = [1, 2, 3, 4].
const line = linearModel([[1], [2], [3], [4]]);
const x1 = tf.tensor4d([0.9, 0.2, 0.5, 0.7], [1, 2, 2, 1]);
const rank = tf.tensor4d([4, 1, 3, 2], [1, 2, 2, 1]);
afterAll(() => {
  line.dispose();
  tf.dispose([x1, rank]);
});

describe('faithfulnessCorrelation (Bhatt et al. 2020; Quantus defaults)', () => {
  // 3 samples of 4×4×1, a 3-logit linear model with mixed-sign weights.
  const d = 16;
  const weights = Array.from({ length: d }, (_, i) => [
    Math.sin(i + 1),
    Math.cos(2 * i),
    (i % 5) - 2,
  ]);
  const model = linearModel(weights, [0.1, -0.2, 0.3]);
  const pixels = Array.from({ length: 3 * d }, (_, k) => 0.5 + 0.45 * Math.sin(1.7 * k + 0.3));
  const x = tf.tensor4d(pixels, [3, 4, 4, 1]);
  const y = tf.tensor1d([0, 1, 2], 'int32');
  // Black baseline = each sample's minimum m: f_t(x) − f_t(x_S←m) = Σ_{i∈S} w_it (x_i − m) exactly.
  const exact = pixels.map((v, k) => {
    const i = Math.floor(k / d);
    const m = Math.min(...pixels.slice(i * d, (i + 1) * d));
    return weights[k % d][i] * (v - m);
  });
  const e = tf.tensor4d(exact, [3, 4, 4, 1]);
  const negated = tf.neg(e) as tf.Tensor4D;
  const noisy = tf.tensor4d(
    exact.map((v, k) => v + 0.3 * Math.cos(5 * k)),
    [3, 4, 4, 1],
  );
  afterAll(() => {
    model.dispose();
    tf.dispose([x, y, e, negated, noisy]);
  });
  const ctx = { model: model.model, x, y, seed: 3 };
  const small = { nrRuns: 30, subsetSize: 5 };

  it('is 1 for the map whose subset sums equal the output drops and −1 for its negation', async () => {
    const r = await faithfulnessCorrelation.evaluate({ ...ctx, explanations: e }, small);
    for (const v of r.values) expect(v).toBeCloseTo(1, 5);
    const neg = await faithfulnessCorrelation.evaluate({ ...ctx, explanations: negated }, small);
    for (const v of neg.values) expect(v).toBeCloseTo(-1, 5);
    expect(r.higherIsBetter).toBe(true);
  });

  it('the exact map is no longer exact against another baseline (the baseline is the black minimum)', async () => {
    const r = await faithfulnessCorrelation.evaluate(
      { ...ctx, explanations: e },
      { ...small, baseline: 0.9 },
    );
    expect(Math.min(...r.values)).toBeLessThan(0.999);
  });

  it('is seeded, independent of batchSize, and different under another seed; no leaks', async () => {
    const a = await faithfulnessCorrelation.evaluate({ ...ctx, explanations: noisy }, small);
    const b = await faithfulnessCorrelation.evaluate(
      { ...ctx, explanations: noisy, batchSize: 7 },
      small,
    );
    const c = await faithfulnessCorrelation.evaluate(
      { ...ctx, explanations: noisy, seed: 4 },
      small,
    );
    expect(b.values).toEqual(a.values);
    expect(c.values).not.toEqual(a.values);
    for (const v of a.values) expect(Math.abs(v)).toBeLessThan(1);
    await assertNoLeaks(
      () => faithfulnessCorrelation.evaluate({ ...ctx, explanations: noisy, batchSize: 8 }, small),
      'faithfulnessCorrelation',
    );
  });

  it('rejects a subset as large as the input, and unknown options', async () => {
    await expect(
      faithfulnessCorrelation.evaluate({ ...ctx, explanations: e }, { subsetSize: 16 }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(
      faithfulnessCorrelation.evaluate({ ...ctx, explanations: e }, {
        nrRun: 3,
      } as never),
    ).rejects.toBeInstanceOf(InvalidOptionError);
  });
});

describe('pixelFlipping (Bach et al. 2015; Quantus defaults)', () => {
  // Black = min = 0.2. Flip order by a: features 0, 2, 3, 1; f(x) = 5.6.
  // Curve: 5.6 − 1·0.7 = 4.9, − 3·0.3 = 4.0, − 4·0.5 = 2.0, − 2·0 = 2.0.
  it('records the hand-computed curve and its unit-spaced trapezoid area', async () => {
    const r = await pixelFlipping.evaluate({ model: line.model, x: x1, explanations: rank });
    const curve = (r.extra!.curves as number[][])[0];
    expect(curve.map((v) => Number(v.toFixed(5)))).toEqual([4.9, 4, 2, 2]);
    expect(r.values[0]).toBeCloseTo((4.9 + 4) / 2 + (4 + 2) / 2 + (2 + 2) / 2, 5);
    expect(r.higherIsBetter).toBe(false);
  });

  it('flips featuresInStep at a time and ranks by |a| with abs', async () => {
    const two = await pixelFlipping.evaluate(
      { model: line.model, x: x1, explanations: rank },
      { featuresInStep: 2 },
    );
    expect((two.extra!.curves as number[][])[0].map((v) => Number(v.toFixed(5)))).toEqual([4, 2]);
    expect(two.values[0]).toBeCloseTo(3, 5);
    const signs = tf.tensor4d([-4, 1, 3, 2], [1, 2, 2, 1]);
    const signed = await pixelFlipping.evaluate({ model: line.model, x: x1, explanations: signs });
    // Signed order 2, 3, 1, 0: 5.6 − 0.9 = 4.7, − 2 = 2.7, − 0 = 2.7, − 0.7 = 2.0.
    expect((signed.extra!.curves as number[][])[0].map((v) => Number(v.toFixed(5)))).toEqual([
      4.7, 2.7, 2.7, 2,
    ]);
    const absolute = await pixelFlipping.evaluate(
      { model: line.model, x: x1, explanations: signs },
      { abs: true },
    );
    expect(absolute.values[0]).toBeCloseTo(9.45, 5);
    await assertNoLeaks(
      () => pixelFlipping.evaluate({ model: line.model, x: x1, explanations: signs }),
      'pixelFlipping',
    );
    signs.dispose();
    await expect(
      pixelFlipping.evaluate(
        { model: line.model, x: x1, explanations: rank },
        { featuresInStep: 5 },
      ),
    ).rejects.toBeInstanceOf(InvalidOptionError);
  });
});

describe('monotonicity (Arya et al. 2019; Quantus defaults, x inserted into black)', () => {
  it('is 1 when inserting the least relevant features first never lowers the logit', async () => {
    // Start 0.2 everywhere (f = 2); insert 1, 3, 2, 0: 2.0, 4.0, 4.9, 5.6.
    const r = await monotonicity.evaluate({ model: line.model, x: x1, explanations: rank });
    expect((r.extra!.curves as number[][])[0].map((v) => Number(v.toFixed(5)))).toEqual([
      2, 4, 4.9, 5.6,
    ]);
    expect(r.values).toEqual([1]);
    expect(r.higherIsBetter).toBe(true);
  });

  it('is 0 when an inserted feature lowers the logit; by |a| by default', async () => {
    const signed = linearModel([[1], [-2], [3], [4]]);
    const x = tf.tensor4d([0.9, 0.6, 0.5, 0.2, 0.9, 0.6, 0.5, 0.2], [2, 2, 2, 1]);
    // Start 0.2 everywhere: f = 0.2·(1 − 2 + 3 + 4) = 1.2. The curve starts after the first insertion.
    // Sample 0 inserts 1, 3, 2, 0: 1.2 − 0.8 = 0.4, 0.4, 1.3, 2.0 (rising from its first point): 1.
    // Sample 1 by |a| inserts 3, 2, 0, 1: 1.2, 2.1, 2.8, then 2.8 − 0.8 = 2.0 drops: 0.
    const e = tf.tensor4d([4, 1, 3, 2, 4, -9, 3, 2], [2, 2, 2, 1]);
    const r = await monotonicity.evaluate({ model: signed.model, x, explanations: e });
    expect((r.extra!.curves as number[][])[1].map((v) => Number(v.toFixed(5)))).toEqual([
      1.2, 2.1, 2.8, 2,
    ]);
    expect(r.values).toEqual([1, 0]);
    // Signed (abs false), sample 1 inserts feature 1 first, like sample 0: 1.
    const noAbs = await monotonicity.evaluate(
      { model: signed.model, x, explanations: e },
      { abs: false },
    );
    expect((noAbs.extra!.curves as number[][])[1].map((v) => Number(v.toFixed(5)))).toEqual([
      0.4, 0.4, 1.3, 2,
    ]);
    expect(noAbs.values).toEqual([1, 1]);
    await assertNoLeaks(
      () => monotonicity.evaluate({ model: signed.model, x, explanations: e }),
      'monotonicity',
    );
    signed.dispose();
    tf.dispose([x, e]);
  });
});

describe('sufficiency (Dasgupta et al. 2022; Quantus defaults)', () => {
  // Maps of 4 samples over 3 features (the third constant 0, left out of the standardised distance).
  // Predicted classes (logits = [x₀, x₁]): 0, 0, 0, 1.
  const maps = tf.tensor4d([1, 0, 0, 1, 0.1, 0, 0.1, 1, 0, 1, 0.2, 0], [4, 1, 3, 1]);
  const x = tf.tensor4d([1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0], [4, 1, 3, 1]);
  const twoLogits = linearModel([
    [1, 0],
    [0, 1],
    [0, 0],
  ]);
  afterAll(() => {
    twoLogits.dispose();
    tf.dispose([maps, x]);
  });
  const ctx = { model: twoLogits.model, x, explanations: maps };

  it('Euclidean, τ = 0.3: samples 0, 1, 3 are neighbours, 2 has none', async () => {
    const r = await sufficiency.evaluate(ctx, { distance: 'euclidean', threshold: 0.3 });
    expect(r.values).toEqual([0.5, 0.5, 0, 0]);
  });

  it('standardised Euclidean (variances 0.2025, 0.20917): d₀₃ = 0.437 > 0.3 splits 0 from 3', async () => {
    const r = await sufficiency.evaluate(ctx, { threshold: 0.3 });
    expect(r.values).toEqual([1, 0.5, 0, 0]);
    const wide = await sufficiency.evaluate(ctx, { threshold: 0.44 });
    expect(wide.values).toEqual([0.5, 0.5, 0, 0]);
    const tight = await sufficiency.evaluate(ctx, { threshold: 0.21 });
    expect(tight.values).toEqual([0, 0, 0, 0]);
    expect(r.higherIsBetter).toBe(true);
    await assertNoLeaks(() => sufficiency.evaluate(ctx), 'sufficiency');
    await expect(sufficiency.evaluate(ctx, { distance: 'cosine' as never })).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
  });
});

describe('monotonicityCorrelation (Nguyen & Martínez 2020; Quantus defaults)', () => {
  // Black baseline 0.2: replacing feature k alone changes f by w_k(x_k − 0.2) = [0.7, 0, 0.9, 2.0].
  it('is 1 when |a| orders the features as their squared effects; −0.8 for the hand-ranked reversal', async () => {
    const effects = tf.tensor4d([0.7, 0, 0.9, 2], [1, 2, 2, 1]);
    const ctx = { model: line.model, x: x1, explanations: effects };
    const r = await monotonicityCorrelation.evaluate(ctx, { baseline: 'black' });
    expect(r.values[0]).toBeCloseTo(1, 12);
    // a = [2, 1, 0.5, 0.1]: r-ranks [1, 2, 3, 4] (features 3, 2, 1, 0), v-ranks [4, 3, 1, 2]: 1 − 6·18/60.
    const reversed = tf.tensor4d([2, 1, 0.5, 0.1], [1, 2, 2, 1]);
    const back = await monotonicityCorrelation.evaluate(
      { ...ctx, explanations: reversed },
      { baseline: 'black' },
    );
    expect(back.values[0]).toBeCloseTo(-0.8, 12);
    expect(r.higherIsBetter).toBe(true);
    tf.dispose([effects, reversed]);
  });

  it('uniform draws (the default) are seeded and independent of batchSize; no leaks', async () => {
    const weights = Array.from({ length: 16 }, (_, i) => [Math.sin(3 * i + 1)]);
    const model = linearModel(weights);
    const x = tf.tensor4d(
      Array.from({ length: 32 }, (_, k) => 0.5 + 0.4 * Math.cos(k)),
      [2, 4, 4, 1],
    );
    const e = tf.tensor4d(
      Array.from({ length: 32 }, (_, k) => Math.sin(3 * (k % 16) + 1) + 0.5 * Math.sin(7 * k)),
      [2, 4, 4, 1],
    );
    const ctx = { model: model.model, x, explanations: e, seed: 1 };
    const a = await monotonicityCorrelation.evaluate(ctx, { nrSamples: 3 });
    const b = await monotonicityCorrelation.evaluate({ ...ctx, batchSize: 5 }, { nrSamples: 3 });
    const c = await monotonicityCorrelation.evaluate({ ...ctx, seed: 2 }, { nrSamples: 3 });
    expect(b.values).toEqual(a.values);
    expect(c.values).not.toEqual(a.values);
    await assertNoLeaks(
      () => monotonicityCorrelation.evaluate(ctx, { nrSamples: 2 }),
      'monotonicityCorrelation',
    );
    await expect(monotonicityCorrelation.evaluate(ctx, { nrSamples: 0 })).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
    model.dispose();
    tf.dispose([x, e]);
  });
});
