import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, InvalidOptionError, initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { explainerOf, linearModel } from '../testing/test-models';
import { type BackgroundAttack, explanationConsistency } from './explanation-consistency';
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

  it('asks for an attack when none is given (metrics define no attack of their own)', async () => {
    const ctx = { model: lin.model, x, explain: explainerOf((z) => tf.clone(z)) };
    await expect(explanationConsistency.evaluate(ctx)).rejects.toThrow(InvalidOptionError);
    await expect(explanationConsistency.evaluate(ctx)).rejects.toThrow(/backgroundAttack/);
    await expect(
      explanationConsistency.evaluate(ctx, { attack: 0.1 as unknown as BackgroundAttack }),
    ).rejects.toThrow(/got number/);
    // The old built-in attack's options are gone, not silently ignored.
    await expect(
      explanationConsistency.evaluate(ctx, { epsilon: 0.1 } as Record<string, unknown>),
    ).rejects.toThrow(InvalidOptionError);
  });

  it('is 1 for a constant explanation whatever the attack does, without leaks', async () => {
    // Moves the background by a pixel-dependent amount, so maps of x and xAdv differ unless constant.
    const attack: BackgroundAttack = (_m, input, _t, background) =>
      tf.tidy(() => tf.add(input, tf.mul(background, tf.mul(input, 2))) as tf.Tensor4D);
    const ctx = { model: lin.model, x, explain: explainerOf((z) => tf.onesLike(z)) };
    expect((await explanationConsistency.evaluate(ctx, { attack })).values[0]).toBeCloseTo(1, 6);
    const moving = { ...ctx, explain: explainerOf((z) => tf.square(z)) };
    // maps x² = [.01,.04,.64,.81] and xAdv² = [.09,.36,.64,.81] (background ×3): hand cosine.
    const a = [0.01, 0.04, 0.64, 0.81];
    const b = [0.09, 0.36, 0.64, 0.81];
    const dot = a.reduce((acc, v, i) => acc + v * b[i], 0);
    const norm = (v: number[]) => Math.sqrt(v.reduce((acc, w) => acc + w * w, 0));
    const r = await explanationConsistency.evaluate(moving, { attack });
    expect(r.values[0]).toBeCloseTo(dot / (norm(a) * norm(b)), 5);
    await assertNoLeaks(
      () => explanationConsistency.evaluate(moving, { attack }),
      'explanationConsistency',
    );
  });
});
