import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  countLeakedTensors,
  InvalidOptionError,
  initBackend,
  SeededRandom,
  ShapeError,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyPerSample } from '../losses/cross-entropy';
import {
  ATTACK_TEST_SHAPE,
  correctlyClassified,
  predictedData,
  robustCount,
  saturatedMlp,
} from '../testing/attack-fixtures';
import { tinyMlp } from '../testing/tiny-models';
import { apgdCheckpoints, stepHalvings } from './apgd';
import { attackRegistry as attacks } from './attack';
import './registry';

const shape = ATTACK_TEST_SHAPE;

function perSampleCe(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor1D): Float32Array {
  return tf.tidy(
    () => crossEntropyPerSample(model.predict(x) as tf.Tensor2D, y).dataSync() as Float32Array,
  );
}

const count = (flags: boolean[]) => flags.filter(Boolean).length;

describe('APGD', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('checkpoints follow p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06) (the paper, N = 100)', () => {
    expect(apgdCheckpoints(100).map((c) => c.at)).toEqual([22, 41, 57, 70, 80, 87, 93, 99]);
    expect(apgdCheckpoints(100).map((c) => c.window)).toEqual([22, 19, 16, 13, 10, 7, 6, 6]);
    // Tiny budgets: windows of at least one step.
    expect(apgdCheckpoints(3).map((c) => c.at)).toEqual([1, 2, 3]);
  });

  it('halves the step when the loss rose in ≤ ρk of the last k steps or the best loss stalled', () => {
    // Columns are samples; 5 rows for 5 steps, the last not yet run (0), as after iteration i = 3.
    const rows = [
      [1, 5, 5, 1],
      [2, 4, 6, 2],
      [3, 3, 6, 3],
      [4, 2, 6, 4],
      [0, 0, 0, 0],
    ].map((r) => Float32Array.from(r));
    const state = {
      lossSteps: rows,
      lossBest: Float32Array.from([4, 5, 6, 10]),
      lossBestLastCheck: Float32Array.from([3, 4, 6, 10]),
      reducedLastCheck: [false, true, false, false],
    };
    // k = 4, ρk = 3. Sample 0 rose 4 times (the first step compared with the unwritten
    // last row, as Python's index −1 does); 1 once; 2 twice; 3 rose 4 times but its best
    // loss stalled since a checkpoint that did not halve it.
    expect(stepHalvings(state, 3, 4, 0.75)).toEqual([false, true, true, true]);
    // k = 2 after iteration 2, ρk = 1.5: rises 2, 0, 1, 2; sample 3 halved last time.
    expect(
      stepHalvings({ ...state, reducedLastCheck: [false, false, false, true] }, 2, 2, 0.75),
    ).toEqual([false, true, true, false]);
  });

  it.each(['apgd-ce', 'apgd-dlr', 'apgd-t'])(
    '%s stays in the ε-ball and the data range, for L∞ and L2',
    (name) => {
      const model = tinyMlp(shape);
      const { x, y } = predictedData(model, 8);
      for (const norm of ['linf', 'l2'] as const) {
        const eps = norm === 'linf' ? 0.1 : 0.5;
        const xAdv = attacks.get(name).run(model, x, y, { eps, steps: 10, norm });
        const delta = tf.sub(xAdv, x);
        const size =
          norm === 'linf'
            ? tf.max(tf.abs(delta), [1, 2, 3])
            : tf.sqrt(tf.sum(tf.square(delta), [1, 2, 3]));
        for (const s of size.dataSync()) expect(s).toBeLessThanOrEqual(eps * (1 + 1e-5));
        expect(tf.min(xAdv).dataSync()[0]).toBeGreaterThanOrEqual(0);
        expect(tf.max(xAdv).dataSync()[0]).toBeLessThanOrEqual(1);
        expect(robustCount(model, xAdv, y)).toBeLessThan(8);
        tf.dispose([xAdv, delta, size]);
      }
      tf.dispose([x, y]);
    },
  );

  it('APGD-CE is not worse than PGD-CE at equal budget over fixed models and seeds', () => {
    // The paper's claim is about robust accuracy over a set, not every single point: on
    // these near-linear toys either attack can miss a sample the other fools (the
    // cross-entropy can rise without the label changing), so the sum over the grid is
    // compared, and no setting may be worse by more than one sample of 48.
    let pgdTotal = 0;
    let apgdTotal = 0;
    for (const seed of [0, 1, 2, 3]) {
      const model = tinyMlp(shape, 16, 4, seed);
      const { x, y } = predictedData(model, 48, seed + 10);
      for (const steps of [10, 20]) {
        for (const start of [0, 1]) {
          const options = () => ({ eps: 0.05, steps, rng: new SeededRandom(start + 100 * seed) });
          const pgd = attacks.get('pgd-linf').run(model, x, y, options());
          const apgd = attacks.get('apgd-ce').run(model, x, y, options());
          const [robustPgd, robustApgd] = [
            correctlyClassified(model, pgd, y),
            correctlyClassified(model, apgd, y),
          ];
          pgdTotal += count(robustPgd);
          apgdTotal += count(robustApgd);
          expect(count(robustApgd), `seed ${seed}, ${steps} steps`).toBeLessThanOrEqual(
            count(robustPgd) + 1,
          );
          tf.dispose([pgd, apgd]);
        }
      }
      tf.dispose([x, y]);
    }
    expect(apgdTotal).toBeLessThan(pgdTotal);
  });

  it('keeps the per-sample worst case: a second restart only adds fooled samples and raises losses', () => {
    const model = tinyMlp(shape, 16, 4, 3);
    const { x, y } = predictedData(model, 32, 5);
    const one = attacks
      .get('apgd-ce')
      .run(model, x, y, { eps: 0.04, steps: 10, restarts: 1, rng: new SeededRandom(4) });
    const two = attacks
      .get('apgd-ce')
      .run(model, x, y, { eps: 0.04, steps: 10, restarts: 2, rng: new SeededRandom(4) });
    const [r1, r2] = [correctlyClassified(model, one, y), correctlyClassified(model, two, y)];
    const [l1, l2] = [perSampleCe(model, one, y), perSampleCe(model, two, y)];
    const clean = perSampleCe(model, x, y);
    r1.forEach((robust, s) => {
      if (!robust) expect(r2[s], `sample ${s} stays fooled`).toBe(false);
      if (r2[s]) {
        expect(l2[s]).toBeGreaterThanOrEqual(l1[s]);
        // The best point is at least as bad as the clean point for the model.
        expect(l2[s]).toBeGreaterThanOrEqual(clean[s]);
      }
    });
    expect(count(r1)).toBeGreaterThan(0);
    tf.dispose([x, y, one, two]);
  });

  it('APGD-DLR sees through a saturated softmax; APGD-CE and PGD-CE do not', () => {
    const model = tinyMlp(shape, 16, 4, 1);
    const masked = saturatedMlp(1);
    const { x, y } = predictedData(model, 32, 7);
    const robust = (m: tfl.LayersModel, name: string) => {
      const xAdv = attacks
        .get(name)
        .run(m, x, y, { eps: 0.05, steps: 20, rng: new SeededRandom(1) });
      const n = robustCount(m, xAdv, y);
      xAdv.dispose();
      return n;
    };
    const dlrPlain = robust(model, 'apgd-dlr');
    const dlrMasked = robust(masked, 'apgd-dlr');
    expect(dlrMasked).toBe(dlrPlain);
    expect(robust(masked, 'pgd-linf')).toBeGreaterThan(dlrMasked + 3);
    expect(robust(masked, 'apgd-ce')).toBeGreaterThan(dlrMasked + 3);
    tf.dispose([x, y]);
  });

  it('is deterministic under a seed, rejects bad options and leaks no tensors', async () => {
    const model = tinyMlp(shape);
    const { x, y } = predictedData(model, 8);
    for (const name of ['apgd-ce', 'apgd-dlr', 'apgd-t']) {
      const a = attacks
        .get(name)
        .run(model, x, y, { eps: 0.1, steps: 5, rng: new SeededRandom(3) });
      const b = attacks
        .get(name)
        .run(model, x, y, { eps: 0.1, steps: 5, rng: new SeededRandom(3) });
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
      tf.dispose([a, b]);
      const leaked = await countLeakedTensors(() =>
        attacks.get(name).run(model, x, y, { eps: 0.1, steps: 8, restarts: 2 }),
      );
      expect(leaked, name).toBe(0);
    }
    const run = (name: string, o: object) => () =>
      attacks.get(name).run(model, x, y, { eps: 0.1, ...o });
    expect(run('apgd-ce', { rho: 0 })).toThrow(InvalidOptionError);
    expect(run('apgd-ce', { norm: 'l1' })).toThrow(/norm must be 'linf' or 'l2'/);
    expect(run('apgd-ce', { restarts: 0 })).toThrow(/restarts must be an integer/);
    expect(run('apgd-ce', { targeted: true, target: y })).toThrow(/apgd-t picks its own targets/);
    expect(run('apgd-t', { nTargetClasses: 0 })).toThrow(/nTargetClasses/);
    expect(run('apgd-t', { loss: crossEntropyPerSample })).toThrow(/targeted DLR/);
    expect(run('apgd-dlr', { rhoo: 0.5 })).toThrow(/did you mean "rho"/);
    const threeClasses = tinyMlp(shape, 8, 3);
    expect(() => attacks.get('apgd-t').run(threeClasses, x, y, { eps: 0.1, steps: 2 })).toThrow(
      ShapeError,
    );
    tf.dispose([x, y]);
  });
});
