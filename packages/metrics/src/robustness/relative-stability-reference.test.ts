import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { vanillaGradientExplainer } from '../model/input-gradient';
import type { Explainer } from '../model/model-like';
import { representationModel } from '../model/model-like';
import type { Perturbation } from '../perturbation/perturbation';
import { hasNumpy, runPythonReference } from '../testing/python-reference';
import { linearModel } from '../testing/test-models';
import { evaluateRelativeStabilities } from './evaluate-relative-stabilities';
import {
  relativeInputStability as ris,
  relativeOutputStability as ros,
  scaleAwareInputStability,
} from './relative-stability';

await initBackend({ backend: 'cpu', log: () => {} });

// Fixed arrays: 4 samples of 3×3×1 with exact zeros, 5 copies each (sample-major).
const n = 4;
const m = 5;
const shape: [number, number, number, number] = [n, 3, 3, 1];
const rng = new SeededRandom(21);
// Exact zeros (i % 3 = 0) and entries below 1e-6 (i % 9 = 4), where the rules "ε only on exact
// zeros" and the former "clamp every |v| < 1e-6" differ.
const xData = Float32Array.from(rng.uniformArray(n * 9), (v, i) =>
  i % 3 === 0 ? 0 : i % 9 === 4 ? 4e-7 : v,
);
const x = tf.tensor4d(xData, shape);
// Copy j of sample i: x + δ, δ fixed; some copies move far enough to change the class.
const deltas = Float32Array.from(rng.normalArray(n * m * 9), (v, i) =>
  Math.floor(i / 9) % m === 4 ? 0.9 * v : 0.08 * v,
);
const copies = tf.tidy(() =>
  tf.add(
    tf.reshape(tf.tile(tf.expandDims(x, 1), [1, m, 1, 1, 1]), [n * m, 3, 3, 1]),
    tf.tensor4d(deltas, [n * m, 3, 3, 1]),
  ),
) as tf.Tensor4D;
const fixedCopies: Perturbation = (input, count) => {
  if (count !== m || input.shape[0] !== n) throw new Error('fixed copies: unexpected call');
  return tf.clone(copies);
};
const model = tfl.sequential({
  layers: [
    tfl.layers.flatten({ inputShape: [3, 3, 1] }),
    tfl.layers.dense({
      name: 'hidden',
      units: 6,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 }),
      biasInitializer: 'zeros',
    }),
    tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotNormal({ seed: 4 }) }),
  ],
});
// A map with exact zeros (at z = 0) and entries below 1e-6 (z < 0.3), ignoring the target.
const mapOf = (z: tf.Tensor4D): tf.Tensor4D =>
  tf.tidy(
    () =>
      tf.add(
        tf.mul(tf.relu(tf.sub(z, 0.3)), tf.add(z, 0.5)),
        tf.mul(1e-6, tf.mul(tf.relu(tf.sub(0.3, z)), tf.square(z))),
      ) as tf.Tensor4D,
  );
const explain: Explainer = mapOf;

afterAll(() => {
  tf.dispose([x, copies]);
  model.dispose();
});

async function nested(t: tf.Tensor): Promise<unknown> {
  return t.array();
}

/** The inputs of the reference: everything the formulas read. */
async function referenceInputs(): Promise<Record<string, unknown>> {
  const hidden = representationModel(model, 'hidden');
  const t = tf.tidy(() => {
    const logits = model.predict(x) as tf.Tensor2D;
    const logitsP = model.predict(copies) as tf.Tensor2D;
    const changed = tf.notEqual(
      tf.argMax(logitsP, 1),
      tf.reshape(tf.tile(tf.expandDims(tf.argMax(logits, 1), 1), [1, m]), [-1]),
    );
    // Copy-major [m, n, ...] for the script.
    const copyMajor = (a: tf.Tensor) =>
      tf.transpose(tf.reshape(a, [n, m, -1]), [1, 0, 2]) as tf.Tensor3D;
    return {
      x: tf.reshape(x, [n, -1]),
      xs: copyMajor(copies),
      ex: tf.reshape(mapOf(x), [n, -1]),
      exs: copyMajor(mapOf(copies)),
      hx: logits,
      hxs: copyMajor(logitsP),
      lx: hidden.predict(x) as tf.Tensor,
      lxs: copyMajor(hidden.predict(copies) as tf.Tensor),
      changed: tf.transpose(tf.reshape(changed, [n, m])),
    };
  });
  const json: Record<string, unknown> = { eps: 1e-6 };
  for (const [k, v] of Object.entries(t)) json[k] = await nested(v);
  tf.dispose(Object.values(t));
  return json;
}

type Reference = Record<'quantus' | 'agarwal', Record<'ris' | 'ros' | 'rrs', (number | null)[]>>;

function expectRelClose(got: number, want: number): void {
  expect(Math.abs(got - want) / Math.max(Math.abs(want), 1e-12)).toBeLessThan(1e-4);
}

describe.skipIf(!hasNumpy)('RIS / ROS / RRS against an independent NumPy reference', () => {
  it('both protocols equal the Agarwal / Quantus formulas to 1e-4 on fixed arrays', async () => {
    const ref = runPythonReference<Reference>(
      'quantus_stability_reference.py',
      await referenceInputs(),
    );
    const ctx = { model, x, explain, representation: 'hidden' };
    for (const protocol of ['agarwal', 'quantus'] as const) {
      const got = await evaluateRelativeStabilities(ctx, {
        protocol,
        perturbations: m,
        perturb: fixedCopies,
      });
      for (const name of ['ris', 'ros', 'rrs'] as const) {
        const want = ref[protocol][name];
        const valued = want.flatMap((v, i) => (v === null ? [] : [i]));
        expect(got[name].extra!.sampleIndex).toEqual(valued);
        got[name].values.forEach((v, k) => expectRelClose(v, want[valued[k]] as number));
        if (protocol === 'quantus')
          expect(got[name].extra!.nanSamples).toEqual(got[name].extra!.skipped);
      }
      // The fixture exercises both filters: some samples lose a copy, Quantus drops them.
      if (protocol === 'quantus') expect(got.ris.values.length).toBeLessThan(n);
    }
  });
});

describe('scale invariance of the canonical form', () => {
  const cnn = fmnistCnn({ filters: [4, 8], hiddenUnits: 16, seed: 5 });
  // Images with exact-zero background, as FMNIST.
  const images = tf.tensor4d(
    new SeededRandom(8).normalArray(3 * 28 * 28).map((v) => Math.max(0, 0.3 + 0.4 * v)),
    [3, 28, 28, 1],
  );
  const vg = vanillaGradientExplainer(cnn);
  const scaled =
    (c: number): Explainer =>
    (z, t) =>
      tf.tidy(() => tf.mul(vg(z, t) as tf.Tensor4D, c) as tf.Tensor4D);
  afterAll(() => {
    images.dispose();
    cnn.dispose();
  });

  it('RIS(c·e) = RIS(e) and ROS(c·e) = ROS(e) for c = 1e-3 and 1e3 (the old |v| < 1e-6 clamp gave 0.097)', async () => {
    const ctx = { model: cnn, x: images, seed: 2 };
    const base = await evaluateRelativeStabilities({ ...ctx, explain: vg }, { perturbations: 4 }, [
      'ris',
      'ros',
    ]);
    for (const c of [1e-3, 1e3]) {
      const other = await evaluateRelativeStabilities(
        { ...ctx, explain: scaled(c) },
        { perturbations: 4 },
        ['ris', 'ros'],
      );
      for (const name of ['ris', 'ros'] as const) {
        other[name].values.forEach((v, i) => {
          expect(Math.abs(v / base[name].values[i] - 1)).toBeLessThan(1e-3);
        });
      }
    }
  });

  it('the scale-aware RIS is scale invariant too, and lower than RIS when near-zero map entries jitter', async () => {
    const ctx = { model: cnn, x: images, seed: 2 };
    const a = await scaleAwareInputStability.evaluate(
      { ...ctx, explain: vg },
      { perturbations: 4 },
    );
    const b = await scaleAwareInputStability.evaluate(
      { ...ctx, explain: scaled(1e-3) },
      { perturbations: 4 },
    );
    a.values.forEach((v, i) => expect(Math.abs(b.values[i] / v - 1)).toBeLessThan(1e-3));
    const canonical = await ris.evaluate({ ...ctx, explain: vg }, { perturbations: 4 });
    a.values.forEach((v, i) => expect(v).toBeLessThanOrEqual(canonical.values[i] * (1 + 1e-5)));
    expect(a.name).toBe('risScaleAware');
  });
});

describe('Quantus protocol', () => {
  it('draws x + U(0.02, 0.2) (every element moves up) and keeps a sample no copy flips', async () => {
    const x0 = x.slice([0], [1]) as tf.Tensor4D;
    const shifts: number[] = [];
    const recording: Explainer = (z) =>
      tf.tidy(() => {
        if (z.shape[0] > 1) shifts.push(...tf.sub(z, x0).dataSync());
        return mapOf(z);
      });
    // Class 0 wins by 100 whatever the input: no copy changes the prediction.
    const fixed = linearModel(
      Array.from({ length: 9 }, () => [0, 1, -1]),
      [100, 0, 0],
    );
    const r = await ros.evaluate(
      { model: fixed.model, x: x0, explain: recording, seed: 1 },
      { protocol: 'quantus', perturbations: 50 },
    );
    fixed.dispose();
    x0.dispose();
    expect(shifts.length).toBe(50 * 9);
    expect(Math.min(...shifts)).toBeGreaterThanOrEqual(0.02 - 1e-6);
    expect(Math.max(...shifts)).toBeLessThanOrEqual(0.2 + 1e-6);
    expect(shifts.reduce((a, b) => a + b, 0) / shifts.length).toBeCloseTo(0.11, 1);
    expect(r.values).toHaveLength(1);
    expect(r.extra!.nanSamples).toEqual([]);
  });

  it('rejects p ≠ 2 and unknown protocols', async () => {
    const ctx = { model, x, explain };
    await expect(ros.evaluate(ctx, { protocol: 'quantus', p: 1 })).rejects.toThrow(/L2 norm/);
    await expect(ros.evaluate(ctx, { protocol: 'captum' as 'quantus' })).rejects.toThrow(
      /protocol must be/,
    );
  });
});
