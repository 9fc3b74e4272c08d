import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  countLeakedTensors,
  InvalidOptionError,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { marginPerSample } from '../losses/margin';
import { ATTACK_TEST_SHAPE, predictedData, saturatedMlp } from '../testing/attack-fixtures';
import { tinyMlp } from '../testing/tiny-models';
import { attackRegistry as attacks } from './attack';
import { squareP } from './square';
import './registry';

const shape = ATTACK_TEST_SHAPE;

function margins(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor1D): Float32Array {
  return tf.tidy(
    () => marginPerSample(model.predict(x) as tf.Tensor2D, y).dataSync() as Float32Array,
  );
}

describe('Square attack', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('p follows square.py p_selection (values from the reference)', () => {
    const its = [0, 10, 11, 50, 51, 200, 201, 500, 501, 1000, 1001, 2001, 4001, 6001, 8001, 9999];
    expect(its.map((i) => squareP(i, 0.8, 5000, false))).toEqual([
      0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125, 0.00625, 0.003125,
      0.0015625, 0.0015625,
    ]);
    // Rescaled to 1000 queries: it ↦ ⌊it/1000·10000⌋.
    expect([0, 1, 2, 5, 6, 20, 21, 100, 101, 999].map((i) => squareP(i, 0.8, 1000, true))).toEqual([
      0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.05, 0.025, 0.0015625,
    ]);
  });

  it('stays in the ε-ball and the range, perturbs only the mask, and is seeded', () => {
    const model = tinyMlp(shape);
    const { x, y } = predictedData(model, 8);
    const mask = tf.concat([tf.ones([8, 3, 6, 1]), tf.zeros([8, 3, 6, 1])], 1);
    const run = (seed: number) =>
      attacks
        .get('square')
        .run(model, x, y, { eps: 0.1, steps: 50, mask, rng: new SeededRandom(seed) });
    const [a, b, c] = [run(3), run(3), run(4)];
    const delta = tf.sub(a, x);
    expect(tf.max(tf.abs(delta)).dataSync()[0]).toBeLessThanOrEqual(0.1 + 1e-6);
    expect(tf.max(tf.abs(delta)).dataSync()[0]).toBeGreaterThan(0.05);
    expect(tf.max(tf.abs(tf.slice(delta, [0, 3, 0, 0], [8, 3, 6, 1]))).dataSync()[0]).toBe(0);
    expect(tf.min(a).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(a).dataSync()[0]).toBeLessThanOrEqual(1);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([x, y, mask, a, b, c, delta]);
  });

  it('never loses progress: with the unrescaled schedule more queries give a margin ≤ per sample', () => {
    const model = tinyMlp(shape, 16, 4, 2);
    const { x, y } = predictedData(model, 16, 3);
    const after = (steps: number) => {
      const xAdv = attacks.get('square').run(model, x, y, {
        eps: 0.05,
        steps,
        rescaleSchedule: false,
        rng: new SeededRandom(5),
      });
      const m = margins(model, xAdv, y);
      xAdv.dispose();
      return m;
    };
    const clean = margins(model, x, y);
    const [m20, m80] = [after(20), after(80)];
    m20.forEach((m, s) => {
      expect(m).toBeLessThan(clean[s]);
      if (m > 0) expect(m80[s]).toBeLessThanOrEqual(m);
      else expect(m80[s]).toBeLessThanOrEqual(0);
    });
    expect(m80.filter((m) => m <= 0).length).toBeGreaterThan(m20.filter((m) => m <= 0).length);
    tf.dispose([x, y]);
  });

  it('reads only scores: it fools a saturated-softmax model as well as the plain one, where PGD-CE fails', () => {
    const plain = tinyMlp(shape, 16, 4, 1);
    const masked = saturatedMlp(1);
    const { x, y } = predictedData(plain, 32, 7);
    const robust = (model: tfl.LayersModel, name: string) => {
      const xAdv = attacks
        .get(name)
        .run(model, x, y, { eps: 0.05, steps: 200, rng: new SeededRandom(2) });
      const n = margins(model, xAdv, y).filter((m) => m > 0).length;
      xAdv.dispose();
      return n;
    };
    const squarePlain = robust(plain, 'square');
    expect(robust(masked, 'square')).toBe(squarePlain);
    expect(squarePlain).toBeLessThan(32);
    expect(robust(masked, 'pgd-linf')).toBeGreaterThan(squarePlain);
    tf.dispose([x, y]);
  });

  it('rejects options it cannot honour and leaks no tensors', async () => {
    const model = tinyMlp(shape);
    const { x, y } = predictedData(model, 4);
    const run = (o: object) => () =>
      attacks.get('square').run(model, x, y, { eps: 0.1, steps: 2, ...o });
    expect(run({ pInit: 0 })).toThrow(InvalidOptionError);
    expect(run({ restarts: 1.5 })).toThrow(/restarts must be an integer/);
    expect(run({ stepSize: 0.01 })).toThrow(/option "stepSize" is not supported/);
    expect(run({ randomStart: false })).toThrow(/random stripes/);
    expect(run({ pinit: 0.5 })).toThrow(/did you mean "pInit"/);
    expect(
      await countLeakedTensors(() =>
        attacks.get('square').run(model, x, y, { eps: 0.1, steps: 20, restarts: 2 }),
      ),
    ).toBe(0);
    tf.dispose([x, y]);
  });
});
