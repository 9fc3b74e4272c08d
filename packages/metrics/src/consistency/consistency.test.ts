import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { explainerOf, linearModel } from '../testing/test-models';
import { explanationConsistency, maskedPgd } from './explanation-consistency';
import { mapSimilarity } from './map-similarity';

await initBackend({ backend: 'cpu', log: () => {} });

const lin = linearModel([
  [1, -1],
  [2, 0.5],
  [-1, 1],
  [0.5, 2],
]);
const x = tf.tensor4d([0.1, 0.2, 0.8, 0.9], [1, 2, 2, 1]);
afterAll(() => {
  lin.dispose();
  x.dispose();
});

describe('map similarity', () => {
  const sim = (a: number[], b: number[], kind: 'cosine' | 'pearson') =>
    tf.tidy(
      () =>
        mapSimilarity(
          tf.tensor4d(a, [1, 1, a.length, 1]),
          tf.tensor4d(b, [1, 1, b.length, 1]),
          kind,
        ).dataSync()[0],
    );
  it('cosine and Pearson match hand values, degenerate maps are defined', () => {
    expect(sim([1, 0], [0, 1], 'cosine')).toBeCloseTo(0, 6);
    expect(sim([1, 2, 3], [2, 4, 6], 'cosine')).toBeCloseTo(1, 6);
    // centred [−1,0,1] and [−7/3,−1/3,8/3]: 5 / (√2·√(114/9)).
    expect(sim([1, 2, 3], [2, 4, 7], 'pearson')).toBeCloseTo(
      5 / (Math.SQRT2 * Math.sqrt(114 / 9)),
      6,
    );
    expect(sim([0, 0], [0, 0], 'cosine')).toBe(1);
    expect(sim([0, 0], [1, 0], 'cosine')).toBe(0);
    expect(sim([2, 2], [3, 3], 'pearson')).toBe(1);
    expect(sim([2, 2], [1, 3], 'pearson')).toBe(0);
  });
});

describe('explanation consistency', () => {
  it('attacks the pixels at or below the median of the map and compares the maps (hand cosine)', async () => {
    let seenBackground: number[] = [];
    const attack = (_m: unknown, input: tf.Tensor4D, _t: tf.Tensor1D, background: tf.Tensor4D) => {
      seenBackground = Array.from(background.dataSync());
      return tf.tidy(() => tf.add(input, tf.mul(background, 0.3)) as tf.Tensor4D);
    };
    const r = await explanationConsistency.evaluate(
      { model: lin.model, x, explain: explainerOf((z) => tf.clone(z)) },
      { attack },
    );
    expect(seenBackground).toEqual([1, 1, 0, 0]);
    // maps [0.1,0.2,0.8,0.9] and [0.4,0.5,0.8,0.9]: 1.59 / (√1.5·√1.86).
    expect(r.values[0]).toBeCloseTo(1.59 / (Math.sqrt(1.5) * Math.sqrt(1.86)), 5);
    expect(r.extra!.backgroundShare).toEqual([0.5]);
  });

  it('is 1 for a constant explanation, with the default masked PGD, without leaks', async () => {
    const ctx = { model: lin.model, x, explain: explainerOf((z) => tf.onesLike(z)) };
    expect((await explanationConsistency.evaluate(ctx)).values[0]).toBeCloseTo(1, 6);
    const moving = { ...ctx, explain: explainerOf((z) => tf.square(z)) };
    const r = await explanationConsistency.evaluate(moving);
    expect(r.values[0]).toBeGreaterThan(0.5);
    expect(r.values[0]).toBeLessThanOrEqual(1);
    await assertNoLeaks(() => explanationConsistency.evaluate(moving), 'explanationConsistency');
  });

  it('masked PGD changes only the background, within ε and the data range', () => {
    const background = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1]);
    const rng = new SeededRandom(0);
    const attack = maskedPgd(0.05, 5, [0, 1], () => rng.uniform());
    const target = tf.tensor1d([0], 'int32');
    const adv = attack(lin.model, x, target, background) as tf.Tensor4D;
    const d = Array.from(tf.sub(adv, x).dataSync());
    expect(d[1]).toBe(0);
    expect(d[3]).toBe(0);
    expect(Math.abs(d[0])).toBeLessThanOrEqual(0.05 + 1e-6);
    expect(Math.abs(d[2])).toBeGreaterThan(0);
    // The CE of class 0 rises: logit 0 − logit 1 falls.
    const margin = (t: tf.Tensor4D) => {
      const l = (lin.model as (x: tf.Tensor4D) => tf.Tensor)(t).dataSync();
      return l[0] - l[1];
    };
    expect(margin(adv)).toBeLessThan(margin(x));
    tf.dispose([background, target, adv]);
  });
});
