import * as tf from '@tensorflow/tfjs-core';
import { explain } from '@trustgrad/attribution';
import {
  countLeakedTensors,
  InvalidOptionError,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { backgroundMask, explanationConsistency, mapSimilarity } from '@trustgrad/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { consistencyWeights } from '../objectives/consistency-weights';
import { tinyCnn } from '../testing/tiny-models';
import { backgroundAttack, backgroundConsistency } from './background-consistency';

const shape: [number, number, number] = [8, 8, 1];

describe('explanation consistency parts', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('weights n·softmax(−c/T) have mean 1 and rank samples by inconsistency', () => {
    const c = tf.tensor1d([0.9, 0.2, 0.5, 0.99]);
    const w = consistencyWeights(c, 1).arraySync() as number[];
    expect(w.reduce((a, b) => a + b) / w.length).toBeCloseTo(1, 6);
    const expected = [0.9, 0.2, 0.5, 0.99].map((v) => Math.exp(-v));
    const z = expected.reduce((a, b) => a + b);
    w.forEach((wi, i) => {
      expect(wi).toBeCloseTo((4 * expected[i]) / z, 5);
    });
    expect(w[1]).toBeGreaterThan(w[2]);
    expect(w[2]).toBeGreaterThan(w[0]);
    const flat = consistencyWeights(c, 1e6).arraySync() as number[];
    for (const v of flat) expect(v).toBeCloseTo(1, 4);
    expect(() => consistencyWeights(c, 0)).toThrow(InvalidOptionError);
    c.dispose();
  });

  it('the background is the pixels at or below the q-quantile, ties included', () => {
    const map = tf.tensor4d(
      [
        ...Array.from({ length: 16 }, (_, i) => 15 - i),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        2,
        3,
        4,
        5,
        6,
      ],
      [2, 4, 4, 1],
    );
    const mask = backgroundMask(map, 0.5).arraySync() as number[][][][];
    const first = mask[0].flat(2);
    // values 15..0: the quantile is the 8th smallest (7), so values 0..7 (the last 8 pixels) are background.
    expect(first).toEqual([...Array(8).fill(0), ...Array(8).fill(1)]);
    // 10 zeros: the quantile is 0 and all ten zeros are background.
    expect(mask[1].flat(2)).toEqual([...Array(10).fill(1), ...Array(6).fill(0)]);
    expect(() => backgroundMask(map, 1)).toThrow(InvalidOptionError);
    map.dispose();
  });

  it('map similarities give known values', () => {
    const rng = new SeededRandom(2);
    const a = rng.uniformTensor([2, 8, 8, 1], 0, 1) as tf.Tensor4D;
    const scaled = tf.add(tf.mul(a, 2), 3) as tf.Tensor4D;
    const zeros = tf.zeros([2, 8, 8, 1]) as tf.Tensor4D;
    const values = (b: tf.Tensor4D, kind: 'cosine' | 'pearson' | 'ssim', left = a) =>
      mapSimilarity(left, b, kind).arraySync() as number[];
    for (const v of values(a, 'cosine')) expect(v).toBeCloseTo(1, 5);
    for (const v of values(tf.mul(a, 5) as tf.Tensor4D, 'cosine')) expect(v).toBeCloseTo(1, 5);
    for (const v of values(scaled, 'pearson')) expect(v).toBeCloseTo(1, 5);
    for (const v of values(tf.neg(a) as tf.Tensor4D, 'pearson')) expect(v).toBeCloseTo(-1, 5);
    for (const v of values(a, 'ssim')) expect(v).toBeCloseTo(1, 5);
    for (const v of values(tf.sub(1, a) as tf.Tensor4D, 'ssim')) expect(v).toBeLessThan(0);
    for (const v of values(zeros, 'cosine')) expect(v).toBe(0);
    for (const v of values(zeros, 'cosine', zeros)) expect(v).toBe(1);
    // Orthogonal maps: disjoint supports.
    const left = tf.tensor4d([1, 1, 0, 0], [1, 2, 2, 1]);
    const right = tf.tensor4d([0, 0, 1, 1], [1, 2, 2, 1]);
    expect(mapSimilarity(left, right, 'cosine').dataSync()[0]).toBeCloseTo(0, 6);
    expect(() => mapSimilarity(a, a, 'dice' as 'cosine')).toThrow(InvalidOptionError);
    tf.dispose([a, scaled, zeros, left, right]);
  });

  it('the background attack leaves the foreground untouched, keeps the prediction and stays in ε', () => {
    const model = tinyCnn(shape);
    const rng = new SeededRandom(3);
    const x = rng.uniformTensor([6, ...shape], 0, 1) as tf.Tensor4D;
    const eps = 0.3;
    const r = backgroundConsistency(model, x, {
      attack: { eps, steps: 10, rng: new SeededRandom(1) },
    });
    const delta = tf.sub(r.xAdv, x);
    const onForeground = tf.mul(delta, tf.sub(1, r.background));
    expect(tf.max(tf.abs(onForeground)).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(delta)).dataSync()[0]).toBeGreaterThan(0);
    expect(tf.max(tf.abs(delta)).dataSync()[0]).toBeLessThanOrEqual(eps + 1e-6);
    const after = tf.argMax(model.predict(r.xAdv) as tf.Tensor, 1).arraySync();
    expect(after).toEqual(r.predicted.arraySync());
    // Half of the 64 pixels (or more, with ties) form the background.
    for (const n of tf.sum(r.background, [1, 2, 3]).arraySync() as number[])
      expect(n).toBeGreaterThanOrEqual(32);
    for (const c of r.consistency.arraySync() as number[]) expect(c).toBeLessThanOrEqual(1 + 1e-5);
    tf.dispose([x, delta, onForeground, ...Object.values(r)]);
    model.dispose();
  });

  it('a sample whose map is forced to change gets a larger weight than one left alone', () => {
    const model = tinyCnn(shape);
    const rng = new SeededRandom(4);
    const x = rng.uniformTensor([4, ...shape], 0, 1) as tf.Tensor4D;
    // Samples 1 and 3 may be attacked (ε 0.5); samples 0 and 2 have ε 0, so x' = x and c = 1.
    const eps = tf.tensor1d([0, 0.5, 0, 0.5]);
    const r = backgroundConsistency(model, x, {
      explanation: 'vg',
      attack: { eps, steps: 10, rng: new SeededRandom(1) },
    });
    const c = r.consistency.arraySync() as number[];
    expect(c[0]).toBeCloseTo(1, 5);
    expect(c[2]).toBeCloseTo(1, 5);
    expect(c[1]).toBeLessThan(0.999);
    expect(c[3]).toBeLessThan(0.999);
    const w = consistencyWeights(r.consistency).arraySync() as number[];
    expect(w[1]).toBeGreaterThan(w[0]);
    expect(w[3]).toBeGreaterThan(w[2]);
    expect(w.reduce((a, b) => a + b) / 4).toBeCloseTo(1, 6);
    tf.dispose([x, eps, ...Object.values(r)]);
    model.dispose();
  });

  it('the explanationConsistency metric with backgroundAttack scores what the objective trains on', async () => {
    const model = tinyCnn(shape);
    const x = new SeededRandom(5).uniformTensor([4, ...shape], 0, 1) as tf.Tensor4D;
    const attack = { eps: 0.3, steps: 5, randomStart: false };
    const signal = backgroundConsistency(model, x, { explanation: 'vg', attack });
    const metric = await explanationConsistency.evaluate(
      {
        model,
        x,
        explain: (xs, target) => explain('vg', model, xs, { target }) as tf.Tensor4D,
      },
      { attack: backgroundAttack(attack) },
    );
    const expected = signal.consistency.arraySync() as number[];
    metric.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    tf.dispose([x, ...Object.values(signal)]);
    model.dispose();
  });

  it('backgroundConsistency leaks no tensors', async () => {
    const model = tinyCnn(shape);
    const x = new SeededRandom(5).uniformTensor([3, ...shape], 0, 1) as tf.Tensor4D;
    const leaked = await countLeakedTensors(() => {
      const r = backgroundConsistency(model, x, {
        similarity: 'ssim',
        attack: { eps: 0.1, steps: 2 },
      });
      tf.dispose(Object.values(r));
    });
    expect(leaked).toBe(0);
    x.dispose();
    model.dispose();
  });
});
