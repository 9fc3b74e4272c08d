import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertNoLeaks, initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricUndefinedError } from '../metric/metric-errors';
import type { ModelLike } from '../model/model-like';
import { explainerOf, linearModel, scalingPerturbation } from '../testing/test-models';
import { localLipschitzEstimate } from './local-lipschitz';
import {
  relativeInputStability as ris,
  relativeOutputStability as ros,
  relativeRepresentationStability as rrs,
} from './relative-stability';
import { avgSensitivity, maxSensitivity } from './sensitivity';

await initBackend({ backend: 'cpu', log: () => {} });

// One sample, mean m = 0.4; model logits [1 − m, m] → class 0 while m < 0.5.
const x = tf.tensor4d([0.2, 0.4, 0.5, 0.5], [1, 2, 2, 1]);
const meanModel: ModelLike = (input) =>
  tf.tidy(() => {
    const m = tf.mean(tf.reshape(input, [input.shape[0], -1]), 1, true);
    return tf.concat([tf.sub(1, m), m], 1);
  });
const square = explainerOf((z) => tf.square(z));
afterAll(() => x.dispose());

describe('relative input / output stability (hand-computed ratios)', () => {
  // Copies 1.1·x (class kept) and 2·x (m = 0.8 → class 1, filtered out). e(z) = z².
  const perturb = scalingPerturbation([1.1, 2]);
  const ctx = { model: meanModel, x, explain: square };

  it('RIS of a scaled explanation: (1.21 − 1)·2 / (0.1·2) = 2.1 with the same-class filter', async () => {
    const r = await ris.evaluate(ctx, { perturbations: 2, perturb });
    expect(r.values[0]).toBeCloseTo(2.1, 4);
    expect((r.extra!.log10 as { values: number[] }).values[0]).toBeCloseTo(Math.log10(2.1), 4);
    expect(r.extra!.keptPerturbations).toEqual([1]);
    expect(r.higherIsBetter).toBe(false);
  });

  it('RIS without the filter takes the 2·x copy: (4 − 1)·2 / (1·2) = 3', async () => {
    const r = await ris.evaluate(ctx, { perturbations: 2, perturb, sameClassOnly: false });
    expect(r.values[0]).toBeCloseTo(3, 4);
  });

  it('RIS is the same 2.1 for p = 1 and p = ∞ (every element changes by the same ratio)', async () => {
    for (const p of [1, Number.POSITIVE_INFINITY]) {
      expect((await ris.evaluate(ctx, { perturbations: 2, perturb, p })).values[0]).toBeCloseTo(
        2.1,
        4,
      );
    }
  });

  it('ROS divides by the absolute logit change [−0.04, 0.04] (Agarwal / Quantus), not a relative one', async () => {
    const r = await ros.evaluate(ctx, { perturbations: 2, perturb });
    expect(r.values[0]).toBeCloseTo(0.42 / (0.04 * Math.SQRT2), 3);
    const r1 = await ros.evaluate(ctx, { perturbations: 2, perturb, p: 1 });
    expect(r1.values[0]).toBeCloseTo(0.84 / 0.08, 3);
    expect(r.extra!.log10Mean).toBeCloseTo(Math.log10(0.42 / (0.04 * Math.SQRT2)), 4);
  });

  it('an explanation that does not change gives 0 (log10 floored at −12)', async () => {
    const constant = explainerOf((z) => tf.onesLike(z));
    for (const metric of [ris, ros]) {
      const r = await metric.evaluate(
        { model: meanModel, x, explain: constant },
        { perturbations: 2, perturb },
      );
      expect(r.values[0]).toBe(0);
      expect((r.extra!.log10 as { values: number[] }).values[0]).toBe(-12);
    }
  });

  it('fails clearly when every copy changes the class', async () => {
    await expect(
      ris.evaluate(ctx, { perturbations: 1, perturb: scalingPerturbation([2]) }),
    ).rejects.toBeInstanceOf(MetricUndefinedError);
  });
});

describe('relative stability with the Gaussian protocol', () => {
  const lin = linearModel(
    [
      [1, -1],
      [0.5, 2],
      [-1, 1],
      [2, 0.3],
    ],
    [0.1, -0.2],
  );
  const xs = tf.tensor4d([0.3, 0.6, 0.9, 0.4, 0.7, 0.2, 0.5, 0.8], [2, 2, 2, 1]);
  afterAll(() => {
    lin.dispose();
    xs.dispose();
  });
  // e(x) = c·x (Gradient×Input-like): Δe/e = Δx/x element-wise, so RIS = 1 for every copy.
  const scaled = explainerOf((z) => tf.mul(z, 3));

  it('RIS of e(x) = c·x is exactly 1 for Gaussian copies', async () => {
    const r = await ris.evaluate({ model: lin.model, x: xs, explain: scaled, seed: 4 });
    for (const v of r.values) expect(v).toBeCloseTo(1, 3);
    expect(r.ci[0]).toBeLessThanOrEqual(r.mean);
    expect(r.ci[1]).toBeGreaterThanOrEqual(r.mean);
  });

  it('is seeded and leaves no tensors behind', async () => {
    const ctx = { model: lin.model, x: xs, explain: square, seed: 2 };
    const a = await ris.evaluate(ctx);
    expect(await ris.evaluate(ctx)).toEqual(a);
    expect((await ris.evaluate({ ...ctx, seed: 3 })).values).not.toEqual(a.values);
    await assertNoLeaks(() => ris.evaluate(ctx), 'ris');
    await assertNoLeaks(() => ros.evaluate(ctx), 'ros');
  });

  it('batches: a small batchSize gives the same values as one batch', async () => {
    const ctx = { model: lin.model, x: xs, explain: square, seed: 5 };
    const whole = await ris.evaluate(ctx, { perturbations: 7 });
    const split = await ris.evaluate({ ...ctx, batchSize: 8 }, { perturbations: 7 });
    expect(split.values).toEqual(whole.values);
  });
});

describe('relative representation stability', () => {
  it('divides by the relative change of the named layer: 0.42 / (0.1·√3)', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [2, 2, 1] }),
        tfl.layers.dense({ name: 'hidden', units: 3, useBias: false, kernelInitializer: 'ones' }),
        tfl.layers.dense({
          name: 'out',
          units: 2,
          useBias: false,
          kernelInitializer: 'glorotUniform',
        }),
      ],
    });
    const r = await rrs.evaluate(
      { model, x, explain: square, representation: 'hidden' },
      { perturbations: 1, perturb: scalingPerturbation([1.1]) },
    );
    expect(r.values[0]).toBeCloseTo(0.42 / (0.1 * Math.sqrt(3)), 3);
    await expect(
      rrs.evaluate(
        { model, x, explain: square, representation: 'nope' },
        { perturbations: 1, perturb: scalingPerturbation([1.1]) },
      ),
    ).rejects.toThrow(/no layer named "nope". Its layers: .*hidden/);
    model.dispose();
  });
});

describe('sensitivity and local Lipschitz estimate', () => {
  const lin = linearModel([[1], [1], [1], [1]]);
  afterAll(() => lin.dispose());
  const perturb = scalingPerturbation([1.1, 0.5, 1.3]);

  it('max / average sensitivity of e(x) = x under scalings are the hand values', async () => {
    // ‖e(sx) − e(x)‖ = |s − 1|·‖x‖; normalised by ‖x‖: 0.1, 0.5, 0.3.
    const ctx = { model: lin.model, x, explain: explainerOf((z) => tf.clone(z)) };
    expect((await maxSensitivity.evaluate(ctx, { samples: 3, perturb })).values[0]).toBeCloseTo(
      0.5,
      5,
    );
    expect((await avgSensitivity.evaluate(ctx, { samples: 3, perturb })).values[0]).toBeCloseTo(
      0.3,
      5,
    );
    const norm = Math.hypot(0.2, 0.4, 0.5, 0.5);
    const raw = await maxSensitivity.evaluate(ctx, { samples: 3, perturb, normalise: 'none' });
    expect(raw.values[0]).toBeCloseTo(0.5 * norm, 5);
    // Divided by ‖x‖ instead of ‖e(x)‖: e = 2x, so the change 2·0.5·‖x‖ over ‖x‖ is 1.
    const double = { ...ctx, explain: explainerOf((z) => tf.mul(z, 2)) };
    const byInput = await maxSensitivity.evaluate(double, {
      samples: 3,
      perturb,
      normalise: 'input',
    });
    expect(byInput.values[0]).toBeCloseTo(1, 5);
    const byMap = await maxSensitivity.evaluate(double, { samples: 3, perturb });
    expect(byMap.values[0]).toBeCloseTo(0.5, 5);
  });

  it('changedPrediction "nan" drops a sample any copy of which flips the class (Quantus)', async () => {
    // meanModel: class 0 while the mean < 0.5; x's mean 0.4, so the 1.3·x copy (0.52) flips it.
    const ctx = { model: meanModel, x, explain: explainerOf((z) => tf.clone(z)) };
    const kept = await maxSensitivity.evaluate(ctx, { samples: 3, perturb });
    expect(kept.values).toHaveLength(1);
    await expect(
      maxSensitivity.evaluate(ctx, { samples: 3, perturb, changedPrediction: 'nan' }),
    ).rejects.toBeInstanceOf(MetricUndefinedError);
    const two = tf.concat([x, tf.mul(x, 0.5)]) as tf.Tensor4D;
    const r = await avgSensitivity.evaluate(
      { ...ctx, x: two },
      { samples: 3, perturb, changedPrediction: 'nan' },
    );
    two.dispose();
    expect(r.extra!.nanSamples).toEqual([0]);
    expect(r.extra!.sampleIndex).toEqual([1]);
    expect(r.values[0]).toBeCloseTo(0.3, 5);
  });

  it('a constant explanation has sensitivity 0; uniform-ball copies are seeded', async () => {
    const ctx = { model: lin.model, x, explain: explainerOf((z) => tf.onesLike(z)), seed: 1 };
    expect((await maxSensitivity.evaluate(ctx)).values[0]).toBe(0);
    const moving = { ...ctx, explain: square };
    expect(await maxSensitivity.evaluate(moving)).toEqual(await maxSensitivity.evaluate(moving));
  });

  it('local Lipschitz estimate of e(x) = c·x is |c|, of a constant map 0', async () => {
    const ctx = { model: lin.model, x, explain: explainerOf((z) => tf.mul(z, -2.5)), seed: 9 };
    expect((await localLipschitzEstimate.evaluate(ctx)).values[0]).toBeCloseTo(2.5, 4);
    const flat = await localLipschitzEstimate.evaluate({
      ...ctx,
      explain: explainerOf((z) => tf.zerosLike(z)),
    });
    expect(flat.values[0]).toBe(0);
    await assertNoLeaks(() => localLipschitzEstimate.evaluate(ctx), 'localLipschitz');
  });
});
