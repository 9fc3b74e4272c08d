import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  countLeakedTensors,
  InvalidOptionError,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATTACK_TEST_SHAPE,
  predictedData,
  robustCount,
  saturatedMlp,
} from '../testing/attack-fixtures';
import { tinyMlp } from '../testing/tiny-models';
import { attackRegistry as attacks, defineAttack } from './attack';
import { type AutoAttackOptions, runAutoAttack } from './auto-attack';
import './registry';

const shape = ATTACK_TEST_SHAPE;

/** Class 0 when the first pixel is > 0.5, else class 1 (of 4): a model whose mistakes a test can place. */
function firstPixelModel(): tfl.LayersModel {
  const model = tinyMlp(shape, 2, 4);
  const k1 = new Float32Array(36 * 2);
  k1[0] = 1; // h0 = relu(x0)
  k1[1] = -1; // h1 = relu(1 − x0)
  model.setWeights([
    tf.tensor2d(k1, [36, 2]),
    tf.tensor1d([0, 1]),
    tf.tensor2d([1, -1, 0, 0, -1, 1, 0, 0], [2, 4]),
    tf.tensor1d([-0.5, 0.5, -10, -10]),
  ]);
  return model;
}

/**
 * A test attack that flips the first pixel (x0 ↦ 1 − x0, which flips the class of
 * {@link firstPixelModel}) of the samples whose pixel `(0, at)` is > 0.5, recording
 * the batch size it is given.
 */
function flipAttack(name: string, at: number, seen: number[]) {
  return defineAttack(
    {
      name,
      description: 'test attack',
      perturb(ctx) {
        const n = ctx.x.shape[0];
        seen.push(n);
        const chosen = tf.cast(
          tf.greater(tf.slice(ctx.x, [0, 0, at, 0], [n, 1, 1, 1]), 0.5),
          'float32',
        );
        const firstPixel = tf.reshape(tf.oneHot(tf.tensor1d([0], 'int32'), 36), [1, 6, 6, 1]);
        const x0 = tf.slice(ctx.x, [0, 0, 0, 0], [n, 1, 1, 1]);
        const flip = tf.mul(tf.mul(chosen, firstPixel), tf.sub(1, tf.mul(2, x0)));
        return tf.add(ctx.x, flip) as tf.Tensor4D;
      },
    },
    { register: false },
  );
}

describe('AutoAttack', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('finds on a saturated softmax what PGD-CE misses (via APGD-T / APGD-DLR / Square)', () => {
    const plain = tinyMlp(shape, 16, 4, 1);
    const masked = saturatedMlp(1);
    const { x, y } = predictedData(plain, 32, 7);
    const run = (model: tfl.LayersModel, name: string) => {
      const xAdv = attacks.get(name).run(model, x, y, {
        eps: 0.05,
        steps: 20,
        rng: new SeededRandom(1),
        ...(name === 'autoattack' ? { queries: 100 } : {}),
      });
      const n = robustCount(model, xAdv, y);
      const linf = tf.tidy(() => tf.max(tf.abs(tf.sub(xAdv, x))).dataSync()[0]);
      expect(linf).toBeLessThanOrEqual(0.05 + 1e-6);
      xAdv.dispose();
      return n;
    };
    const pgdMasked = run(masked, 'pgd-linf');
    const autoMasked = run(masked, 'autoattack');
    expect(autoMasked).toBeLessThan(pgdMasked - 3);
    // The ensemble does as well on the masked model as on the plain one: masking does not hide it.
    expect(autoMasked).toBeLessThanOrEqual(run(plain, 'autoattack') + 1);
    tf.dispose([x, y]);
  });

  it('on normal models its robust accuracy is at most PGD-CE’s at the same steps', () => {
    for (const seed of [0, 2, 3]) {
      const model = tinyMlp(shape, 16, 4, seed);
      const { x, y } = predictedData(model, 32, seed + 20);
      const run = (name: string) => {
        const xAdv = attacks.get(name).run(model, x, y, {
          eps: 0.05,
          steps: 20,
          rng: new SeededRandom(seed),
          ...(name === 'autoattack' ? { queries: 100 } : {}),
        });
        const n = robustCount(model, xAdv, y);
        xAdv.dispose();
        return n;
      };
      expect(run('autoattack'), `seed ${seed}`).toBeLessThanOrEqual(run('pgd-linf'));
      tf.dispose([x, y]);
    }
  });

  it('runs each attack only on the samples still robust and counts a sample robust only if robust to all', () => {
    const model = firstPixelModel();
    // Pixel 0: 0.9 for samples 0–5 (class 0), 0.1 for 6–11 (class 1); pixel 1: 0.9 on even samples.
    const values = new Float32Array(12 * 36).fill(0.5);
    for (let s = 0; s < 12; s++) {
      values[s * 36] = s < 6 ? 0.9 : 0.1;
      values[s * 36 + 1] = s % 2 === 0 ? 0.9 : 0.1;
    }
    const x = tf.tensor4d(values, [12, ...shape]);
    const y = tf.tensor1d(
      Array.from({ length: 12 }, (_, s) => (s < 6 ? 0 : 1)),
      'int32',
    );
    expect(robustCount(model, x, y)).toBe(12);
    const seenA: number[] = [];
    const seenB: number[] = [];
    // A fools the even samples; B (pixel 0 > 0.5) fools 1, 3, 5 of the odd ones left to it.
    const a = flipAttack('fool-even', 1, seenA);
    const b = flipAttack('fool-bright', 0, seenB);
    const xAdv = attacks
      .get('autoattack')
      .run(model, x, y, { eps: 1, attacks: [a, b], rng: new SeededRandom(0) });
    const result = runAutoAttack({
      model,
      x,
      labels: y,
      eps: tf.fill([12, 1, 1, 1], 1) as tf.Tensor4D,
      stepSize: tf.fill([12, 1, 1, 1], 1) as tf.Tensor4D,
      steps: 1,
      randomStart: true,
      targeted: false,
      range: [0, 1],
      mask: undefined,
      stepWeights: undefined,
      rng: new SeededRandom(0),
      init: undefined,
      options: {
        eps: 1,
        attacks: [a, b],
        norm: 'linf',
        restarts: 1,
        nTargetClasses: 9,
        queries: 1,
      } as AutoAttackOptions & { eps: number },
      ascentGradient: () => {
        throw new Error('unused');
      },
      clip: (t) => tf.clipByValue(t, 0, 1) as tf.Tensor4D,
      clips: true,
    });
    expect(seenA).toEqual([12, 12]);
    expect(seenB).toEqual([6, 6]);
    const robustAtEnd = [7, 9, 11];
    expect(result.robust).toEqual(Array.from({ length: 12 }, (_, s) => robustAtEnd.includes(s)));
    expect(result.robustAfter).toEqual([
      { attack: 'clean', robust: 12 },
      { attack: 'fool-even', robust: 6 },
      { attack: 'fool-bright', robust: 3 },
    ]);
    // The plugin returns the same points: fooled samples moved, robust ones clean.
    expect(tf.max(tf.abs(tf.sub(xAdv, result.xAdv))).dataSync()[0]).toBe(0);
    expect(robustCount(model, xAdv, y)).toBe(3);
    const moved = Array.from(tf.any(tf.notEqual(xAdv, x), [1, 2, 3]).dataSync(), Boolean);
    expect(moved).toEqual(Array.from({ length: 12 }, (_, s) => !robustAtEnd.includes(s)));
    tf.dispose([x, y, xAdv, result.xAdv]);
  });

  it('is seeded, leak-free, and rejects what it cannot honour', async () => {
    const model = tinyMlp(shape);
    const { x, y } = predictedData(model, 6);
    const o = { eps: 0.1, steps: 3, queries: 5 };
    const first = attacks.get('autoattack').run(model, x, y, { ...o, rng: new SeededRandom(2) });
    const again = attacks.get('autoattack').run(model, x, y, { ...o, rng: new SeededRandom(2) });
    expect(tf.max(tf.abs(tf.sub(first, again))).dataSync()[0]).toBe(0);
    expect(await countLeakedTensors(() => attacks.get('autoattack').run(model, x, y, o))).toBe(0);
    const run = (extra: object) => () =>
      attacks.get('autoattack').run(model, x, y, { ...o, ...extra });
    expect(run({ norm: 'l2' })).toThrow(/Square is implemented for L∞ only/);
    expect(run({ attacks: [] })).toThrow(InvalidOptionError);
    expect(run({ attacks: ['apgd-cee'] })).toThrow(/apgd-ce/);
    expect(run({ stepSize: 0.1 })).toThrow(/not supported/);
    expect(run({ querys: 3 })).toThrow(/did you mean "queries"/);
    // L2 without Square runs.
    const l2 = attacks
      .get('autoattack')
      .run(model, x, y, { ...o, norm: 'l2', eps: 0.5, attacks: ['apgd-ce', 'apgd-t'] });
    const norms = tf.sqrt(tf.sum(tf.square(tf.sub(l2, x)), [1, 2, 3])).dataSync();
    for (const n of norms) expect(n).toBeLessThanOrEqual(0.5 * (1 + 1e-5));
    tf.dispose([x, y, first, again, l2]);
  });
});
