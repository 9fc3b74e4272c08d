import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  countLeakedTensors,
  InvalidOptionError,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRegulariser } from '../regularisers/registry';
import type { AttackLoss } from './attack';
import { attackRegistry as attacks } from './attack';
import {
  groupL1Norm,
  groupLinfNorm,
  groupNorms,
  groupNormsCompact,
  projectGroup,
} from './group-norm';
import './registry';

const [H, W, C, CLASSES, PATCH] = [8, 8, 2, 3, 4];
const batch = 4;

/** A linear classifier `z = W·vec(x) + b`: the input gradient of `z_y` is the column `W[:, y]`, whatever x is. */
function linearModel(seed = 0): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.flatten({ inputShape: [H, W, C] }));
  model.add(
    tfl.layers.dense({
      units: CLASSES,
      kernelInitializer: tfl.initializers.randomNormal({ seed, stddev: 1 }),
    }),
  );
  return model;
}

/** The target logit: linear in x for a linear model, so `L(x+δ) − L(x) = ⟨g, δ⟩` exactly. */
const targetLogit: AttackLoss = (logits, labels) =>
  tf.sum(tf.mul(logits, tf.oneHot(labels, logits.shape[1]).toFloat()), 1) as tf.Tensor1D;

function setup() {
  const model = linearModel();
  const rng = new SeededRandom(5);
  const x = rng.uniformTensor([batch, H, W, C], 0, 1) as tf.Tensor4D;
  const y = tf.tensor1d([0, 1, 2, 1], 'int32');
  const g = tf.tidy(() =>
    tf.grad((xi: tf.Tensor) => tf.sum(targetLogit(model.apply(xi) as tf.Tensor2D, y)))(x),
  ) as tf.Tensor4D;
  const gain = (xAdv: tf.Tensor4D) =>
    tf.tidy(
      () =>
        tf
          .sub(
            targetLogit(model.apply(xAdv) as tf.Tensor2D, y),
            targetLogit(model.apply(x) as tf.Tensor2D, y),
          )
          .arraySync() as number[],
    );
  return { model, x, y, g, gain };
}

function expectClose(actual: number[], expected: number[], rel = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected[i])));
  });
}

describe('structured attacks (NRAT)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('group norms match a hand computation, including ragged edge patches', () => {
    // 1×3×5×1 image, patch 2: groups rows {0,1},{2} × cols {0,1},{2,3},{4}.
    const values = Array.from({ length: 15 }, (_, i) => i - 7);
    const t = tf.tensor4d(values, [1, 3, 5, 1]);
    const at = (r: number, c: number) => values[r * 5 + c];
    const norm = (cells: [number, number][]) =>
      Math.sqrt(cells.reduce((s, [r, c]) => s + at(r, c) ** 2, 0));
    const expected = [
      [
        norm([
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ]),
        norm([
          [0, 2],
          [0, 3],
          [1, 2],
          [1, 3],
        ]),
        norm([
          [0, 4],
          [1, 4],
        ]),
      ],
      [
        norm([
          [2, 0],
          [2, 1],
        ]),
        norm([
          [2, 2],
          [2, 3],
        ]),
        norm([[2, 4]]),
      ],
    ];
    expectClose(
      (groupNormsCompact(t, 2).arraySync() as number[][][])[0].flat(),
      expected.flat(),
      1e-6,
    );
    expectClose(
      groupL1Norm(t, 2).arraySync() as number[],
      [expected.flat().reduce((a, b) => a + b)],
      1e-6,
    );
    expectClose(groupLinfNorm(t, 2).arraySync() as number[], [Math.max(...expected.flat())], 1e-6);
    const spread = groupNorms(t, 2).arraySync() as number[][][][];
    expect(spread[0][2][4][0]).toBeCloseTo(expected[1][2], 5);
    expect(spread[0][1][3][0]).toBeCloseTo(expected[0][1], 5);
    const projected = projectGroup(t, 3, 2);
    const after = groupNormsCompact(projected, 2).arraySync() as number[][][];
    after[0].flat().forEach((n, i) => {
      expect(n).toBeCloseTo(Math.min(3, expected.flat()[i]), 4);
    });
  });

  // Duality (SPEC 2.3): for a linear loss, max_{‖δ‖≤ε} L(x+δ) − L(x) = ε‖∇ₓL‖_*.
  it.each([
    ['pgd-linf', 'L∞ ↔ L1', (g: tf.Tensor4D) => tf.sum(tf.abs(g), [1, 2, 3])],
    ['pgd-l2', 'L2 ↔ L2', (g: tf.Tensor4D) => tf.sqrt(tf.sum(tf.square(g), [1, 2, 3]))],
    ['pgd-group', 'group-L2,∞ ↔ group-L1', (g: tf.Tensor4D) => groupL1Norm(g, PATCH)],
  ] as const)(
    '%s on a linear model gains exactly ε times the dual norm of the gradient (%s)',
    (name, _pair, dual) => {
      const { model, x, y, g, gain } = setup();
      const eps = 0.3;
      const xAdv = attacks.get(name).run(model, x, y, {
        eps,
        steps: 3,
        stepSize: eps,
        randomStart: false,
        loss: targetLogit,
        range: [-100, 100],
        ...(name === 'pgd-group' ? { patch: PATCH } : {}),
      });
      const expected = tf.tidy(() => tf.mul(eps, dual(g)).arraySync() as number[]);
      expectClose(gain(xAdv), expected);
      // From the default random start, 20 steps come within 5% of the dual bound (projections of the start
      // slow L2 and group convergence) and never pass it.
      const fromRandom = attacks.get(name).run(model, x, y, {
        eps,
        steps: 20,
        loss: targetLogit,
        range: [-100, 100],
        rng: new SeededRandom(1),
      });
      gain(fromRandom).forEach((v, i) => {
        expect(v).toBeLessThanOrEqual(expected[i] * (1 + 1e-5));
        expect(v).toBeGreaterThan(expected[i] * 0.95);
      });
      tf.dispose([x, y, g, xAdv, fromRandom]);
      model.dispose();
    },
  );

  it('pgd-group stays in the group ball and the data range and raises the cross-entropy', () => {
    const { model, x, y, g } = setup();
    const eps = 0.5;
    const xAdv = attacks
      .get('pgd-group')
      .run(model, x, y, { eps, rng: new SeededRandom(2), patch: PATCH });
    const delta = tf.sub(xAdv, x);
    for (const n of groupLinfNorm(delta, PATCH).arraySync() as number[])
      expect(n).toBeLessThanOrEqual(eps * (1 + 1e-5));
    expect(tf.min(xAdv).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(xAdv).dataSync()[0]).toBeLessThanOrEqual(1);
    tf.dispose([x, y, g, xAdv, delta]);
    expect(() => attacks.get('pgd-group').run(model, x, y, { eps, patch: 0 })).toThrow(
      InvalidOptionError,
    );
    model.dispose();
  });

  // Norm-regularised attack: for a linear loss max_δ ⟨g,δ⟩ − λR(δ) (inside the box |δ| ≤ ε) has a closed form.
  const l1Ratio = 0.4;
  const deadZone = 0.05;
  it.each([
    ['l2', 100, (g: number[], lam: number) => g.reduce((s, v) => s + v * v, 0) / (2 * lam)],
    [
      'l1',
      0.2,
      (g: number[], lam: number) => 0.2 * g.reduce((s, v) => s + Math.max(Math.abs(v) - lam, 0), 0),
    ],
    [
      'elastic-net',
      100,
      (g: number[], lam: number) =>
        g.reduce((s, v) => s + Math.max(Math.abs(v) - lam * l1Ratio, 0) ** 2, 0) /
        (2 * lam * (1 - l1Ratio)),
    ],
    [
      'elastic-net-conjugate',
      100,
      (g: number[], lam: number) =>
        deadZone * g.reduce((s, v) => s + Math.abs(v), 0) +
        g.reduce((s, v) => s + v * v, 0) / (2 * lam),
    ],
  ] as const)(
    'prox-regularised with R=%s reaches the conjugate value of the linearised attack',
    (name, eps, conjugate) => {
      const { model, x, y, g, gain } = setup();
      const lambda = name === 'l1' ? 0.5 : 4;
      const stepSize = name === 'l1' ? 50 : 1 / lambda / (name === 'elastic-net' ? 1 - l1Ratio : 1);
      const options = {
        eps,
        steps: 60,
        stepSize,
        loss: targetLogit,
        range: [-100, 100] as const,
        regulariser: name,
        lambda,
        l1Ratio,
        deadZone,
      };
      const xAdv = attacks.get('prox-regularised').run(model, x, y, options);
      const delta = tf.sub(xAdv, x) as tf.Tensor4D;
      const penalty = resolveRegulariser(name)
        .value(delta, { patch: PATCH, l1Ratio, deadZone })
        .arraySync() as number[];
      const objective = gain(xAdv).map((v, i) => v - lambda * penalty[i]);
      const grads = tf.unstack(tf.reshape(g, [batch, -1])).map((t) => Array.from(t.dataSync()));
      expectClose(
        objective,
        grads.map((gi) => conjugate(gi, lambda)),
      );
      tf.dispose([x, y, g, xAdv, delta]);
      model.dispose();
    },
  );

  it('regulariser proxes are the argmin of ½‖u − v‖² + t·R(u) (checked against perturbed points)', () => {
    const rng = new SeededRandom(9);
    const v = rng.normalTensor([2, 8, 8, 1]) as tf.Tensor4D;
    const t = tf.scalar(0.3);
    const params = { patch: PATCH, l1Ratio, deadZone };
    for (const name of ['l1', 'l2', 'group', 'elastic-net', 'elastic-net-conjugate']) {
      const r = resolveRegulariser(name);
      const objective = (u: tf.Tensor4D) =>
        tf.tidy(
          () =>
            tf
              .add(
                tf.mul(0.5, tf.sum(tf.square(tf.sub(u, v)), [1, 2, 3])),
                tf.mul(t, r.value(u, params)),
              )
              .arraySync() as number[],
        );
      const u = r.prox(v, t, params);
      const best = objective(u);
      for (let k = 0; k < 5; k++) {
        const nudged = tf.add(u, tf.mul(0.01, rng.normalTensor(u.shape))) as tf.Tensor4D;
        objective(nudged).forEach((o, i) => {
          expect(o).toBeGreaterThanOrEqual(best[i] - 1e-6);
        });
        nudged.dispose();
      }
      u.dispose();
    }
    tf.dispose([v, t]);
  });

  it('leak no tensors and are deterministic under a seed', async () => {
    const { model, x, y, g } = setup();
    for (const [name, extra] of [
      ['pgd-group', { patch: PATCH }],
      ['prox-regularised', { regulariser: 'group', lambda: 0.1, patch: PATCH, randomStart: true }],
    ] as const) {
      const run = () =>
        attacks
          .get(name)
          .run(model, x, y, { eps: 0.2, steps: 3, rng: new SeededRandom(4), ...extra });
      const first = run();
      const second = run();
      expect(tf.max(tf.abs(tf.sub(first, second))).dataSync()[0]).toBe(0);
      tf.dispose([first, second]);
      const leaked = await countLeakedTensors(() => {
        run().dispose();
      });
      expect(leaked).toBe(0);
    }
    tf.dispose([x, y, g]);
    model.dispose();
  });
});
