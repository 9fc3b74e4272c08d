import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, initBackend } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { inputGradient } from '../model/input-gradient';
import { linearModel, quadraticModel } from '../testing/test-models';
import { gradientCurvature, hessianEigenvalue } from './gradient-curvature';

await initBackend({ backend: 'cpu', log: () => {} });

const x = tf.tensor4d([0.3, 0.7, 0.2, 0.9, 0.5, 0.1, 0.6, 0.4], [2, 2, 2, 1]);
// Symmetric A with eigenvalues 3 (from the [[2,1],[1,2]] block), 1, 1, 0.5.
const A = [
  [2, 1, 0, 0],
  [1, 2, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 0.5],
];
const quad = quadraticModel(A);
const lin = linearModel(
  [
    [1, -2],
    [0.5, 0.1],
    [3, 1],
    [-1, 2],
  ],
  [0.2, 0.1],
);
afterAll(() => {
  x.dispose();
  quad.dispose();
  lin.dispose();
});

describe('input gradient', () => {
  it('of ½xᵀAx is Ax', () => {
    const g = inputGradient(quad.model, x, tf.tensor1d([0, 0], 'int32'));
    const flat = [0.3, 0.7, 0.2, 0.9];
    const expected = A.map((row) => row.reduce((s, a, j) => s + a * flat[j], 0));
    expect(
      Array.from(g.dataSync())
        .slice(0, 4)
        .map((v) => Number(v.toFixed(5))),
    ).toEqual(expected.map((v) => Number(v.toFixed(5))));
    g.dispose();
  });
});

describe('curvature of the input-gradient field', () => {
  it('is 0 for a linear model (gradient change and Hessian eigenvalue)', async () => {
    for (const v of (await gradientCurvature.evaluate({ model: lin.model, x })).values)
      expect(v).toBeLessThan(1e-4);
    for (const v of (await hessianEigenvalue.evaluate({ model: lin.model, x })).values)
      expect(Math.abs(v)).toBeLessThan(1e-4);
  });

  it("of ½xᵀAx: the power iteration finds A's top eigenvalue 3", async () => {
    const r = await hessianEigenvalue.evaluate(
      { model: quad.model, x, seed: 1 },
      { iterations: 40 },
    );
    for (const v of r.values) expect(v).toBeCloseTo(3, 2);
  });

  it('reports |λ| for a concave logit (−½xᵀAx: λ = −3), the signed value in extra', async () => {
    const concave = quadraticModel(A.map((row) => row.map((a) => -a)));
    const r = await hessianEigenvalue.evaluate(
      { model: concave.model, x, seed: 1 },
      { iterations: 40 },
    );
    for (const v of r.values) expect(v).toBeCloseTo(3, 2);
    for (const v of (r.extra as { signed: number[] }).signed) expect(v).toBeCloseTo(-3, 2);
    concave.dispose();
  });

  it('of ½xᵀ(cI)x: the mean gradient change ‖cv‖ is exactly c; for A it lies in [λmin, λmax]', async () => {
    const c = 2.5;
    const iso = quadraticModel([0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? c : 0))));
    for (const v of (await gradientCurvature.evaluate({ model: iso.model, x })).values)
      expect(v).toBeCloseTo(c, 2);
    iso.dispose();
    for (const v of (await gradientCurvature.evaluate({ model: quad.model, x })).values) {
      expect(v).toBeGreaterThan(0.5);
      expect(v).toBeLessThan(3);
    }
  });

  it('leaks no tensors', async () => {
    await assertNoLeaks(
      () => gradientCurvature.evaluate({ model: quad.model, x, batchSize: 4 }),
      'curvature',
    );
    await assertNoLeaks(
      () => hessianEigenvalue.evaluate({ model: quad.model, x, batchSize: 2 }),
      'hessianEigenvalue',
    );
  });
});
