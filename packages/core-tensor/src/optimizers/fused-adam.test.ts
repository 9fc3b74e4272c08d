import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { ShapeError } from '../errors/trustgrad-error';
import { registerTrainingKernels } from '../kernels/register-training-kernels';
import { heapSimdCalls } from '../kernels/wasm/heap-simd';
import { ADAM_UPDATE, adamUpdate, composedAdamUpdate } from '../ops/adam-update';
import { SeededRandom } from '../random/seeded-random';
import { FusedAdamOptimizer } from './fused-adam';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  registerTrainingKernels();
});

const SPECIAL = [0, -0, Number.NaN, 1e-40, -1e-40, 1e-30, -3e38, 3e38, 1e20, Infinity, -Infinity];
// [5, 5, 1, 6]: 150 floats, the SIMD loop plus a scalar tail of 2; [7]: tail only after one vector.
const SHAPES = [[5, 5, 1, 6], [7], [3], [16, 8]];

/** Equal entry by entry as `Object.is` sees it (NaN = NaN, +0 ≠ −0). */
function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${label}: entry ${i} is ${actual[i]}, the reference gives ${expected[i]}`);
    }
  }
}

/** Random weights, moments and gradients with every edge value in the gradient and moments. */
function edgeArrays(rng: SeededRandom, size: number) {
  const pick = () => SPECIAL[rng.int(SPECIAL.length)];
  const value = rng.normalArray(size);
  const m = Float32Array.from(rng.normalArray(size), (v) => 0.01 * v);
  const v = Float32Array.from(rng.normalArray(size), (x) => 1e-4 * x * x);
  const g = rng.normalArray(size);
  for (let i = 0; i < size; i++) {
    if (rng.int(3) === 0) g[i] = pick();
    if (rng.int(8) === 0) m[i] = pick();
    if (rng.int(8) === 0) v[i] = Math.abs(pick());
  }
  return { value, m, v, g };
}

const HYPER = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** One update on the current backend, fused or composed, as host arrays [value, m, v]. */
function update(
  a: ReturnType<typeof edgeArrays>,
  shape: number[],
  fused: boolean,
  c: [number, number],
) {
  return tf.tidy(() => {
    const [value, m, v, g] = [a.value, a.m, a.v, a.g].map((x) => tf.tensor(x, shape, 'float32'));
    const [c1, c2] = c.map((x) => tf.scalar(x));
    const r = (fused ? adamUpdate : composedAdamUpdate)(value, m, v, g, c1, c2, HYPER);
    return [r.value, r.firstMoment, r.secondMoment].map((t) => t.dataSync() as Float32Array);
  });
}

describe('adamUpdate (fused Adam step)', () => {
  it('equals tfjs Adam’s composition on cpu bit for bit, on cpu and on wasm, edge values included', async () => {
    const rng = new SeededRandom(7);
    // Bias corrections of step 1 and of step 1000 (c₂ = 1 − 0.999¹⁰⁰⁰).
    for (const c of [
      [0.1, 0.001],
      [1, 0.6323],
    ] as [number, number][]) {
      for (const shape of SHAPES) {
        const a = edgeArrays(
          rng,
          shape.reduce((x, y) => x * y, 1),
        );
        await tf.setBackend('cpu');
        expect(tf.getKernel(ADAM_UPDATE, 'cpu')).toBeDefined();
        const reference = update(a, shape, false, c);
        const label = `${JSON.stringify(shape)} c ${c}`;
        update(a, shape, true, c).forEach((r, k) =>
          expectIdentical(r, reference[k], `cpu kernel ${label} output ${k}`),
        );
        await tf.setBackend('wasm');
        const calls = heapSimdCalls().adamUpdate;
        update(a, shape, true, c).forEach((r, k) =>
          expectIdentical(r, reference[k], `wasm SIMD ${label} output ${k}`),
        );
        expect(heapSimdCalls().adamUpdate).toBe(calls + 1);
      }
    }
  });

  it('computes Adam’s update by hand on one entry', async () => {
    await tf.setBackend('wasm');
    const [w, m, v] = tf.tidy(() => {
      const r = adamUpdate(
        tf.tensor1d([1]),
        tf.tensor1d([0]),
        tf.tensor1d([0]),
        tf.tensor1d([2]),
        tf.scalar(0.1),
        tf.scalar(0.001),
        HYPER,
      );
      return [r.value, r.firstMoment, r.secondMoment].map((t) => t.dataSync()[0]);
    });
    expect(m).toBeCloseTo(0.2, 6); // 0.1 · 2
    expect(v).toBeCloseTo(0.004, 7); // 0.001 · 4
    // m̂ = 2, v̂ = 4: 1 − 1e-3 · 2 / (2 + 1e-7)
    expect(w).toBeCloseTo(1 - 1e-3, 6);
  });

  it('rejects mismatched shapes and non-scalar bias corrections with typed errors', () => {
    const [a, b, s] = [tf.zeros([4]), tf.zeros([3]), tf.zeros([2])];
    const c = tf.scalar(0.1);
    expect(() => adamUpdate(a, a, a, b, c, c, HYPER)).toThrow(ShapeError);
    expect(() => adamUpdate(a, a, a, a, s as tf.Scalar, c, HYPER)).toThrow(
      /biasCorrection1 must be a scalar/,
    );
    tf.dispose([a, b, s, c]);
  });
});

/** A tiny two-layer regression trained by `optimizer`; returns the weights after `steps`. */
function train(optimizer: tf.Optimizer, steps: number): Float32Array[] {
  const rng = new SeededRandom(3);
  const initial = [
    tf.tensor(rng.normalArray(6 * 5), [6, 5]),
    tf.zeros([5]),
    tf.tensor(rng.normalArray(5 * 3), [5, 3]),
  ];
  const [w1, b1, w2] = initial.map((t) => tf.variable(t));
  tf.dispose(initial);
  const x = tf.tensor(rng.normalArray(8 * 6), [8, 6]);
  const y = tf.tensor(rng.normalArray(8 * 3), [8, 3]);
  for (let s = 0; s < steps; s++) {
    optimizer
      .minimize(
        () =>
          tf.losses.meanSquaredError(
            y,
            tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2),
          ) as tf.Scalar,
        true,
      )
      ?.dispose();
  }
  const out = [w1, b1, w2].map((t) => t.dataSync() as Float32Array);
  tf.dispose([w1, b1, w2, x, y]);
  return out;
}

describe('FusedAdamOptimizer', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`trains to exactly tf.train.adam’s weights and moments over 30 steps (${backend})`, async () => {
      await tf.setBackend(backend);
      const reference = tf.train.adam(1e-2, 0.9, 0.999, 1e-7);
      const expected = train(reference, 30);
      const fused = new FusedAdamOptimizer(1e-2, 0.9, 0.999, 1e-7);
      const before = tf.memory().numTensors;
      const actual = train(fused, 30);
      // Only the moments (2 per variable) stay behind, nothing per step.
      expect(tf.memory().numTensors - before).toBe(6);
      actual.forEach((w, k) => expectIdentical(w, expected[k], `weight ${k}`));
      const [ref, ours] = [await reference.getWeights(), await fused.getWeights()];
      expect(ours.map((w) => w.name.replace(/^\d+/, ''))).toEqual(
        ref.map((w) => w.name.replace(/^\d+/, '')),
      );
      ours.forEach((w, k) =>
        expectIdentical(w.tensor.dataSync(), ref[k].tensor.dataSync(), `slot ${w.name}`),
      );
      reference.dispose();
      fused.dispose();
    });
  }

  it('is serialised as Adam with tf.train.adam’s config, and takes over its saved state', async () => {
    await tf.setBackend('wasm');
    const fused = new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7);
    const plain = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
    expect(fused.getClassName()).toBe('Adam');
    expect(fused.getConfig()).toEqual(plain.getConfig());
    const w = tf.variable(tf.tensor1d([0.5, -1, 2]), true, 'fused-adam-restore');
    const loss = () => tf.sum(tf.mul(tf.square(w), tf.tensor1d([1, 2, 3]))) as tf.Scalar;
    for (let s = 0; s < 5; s++) plain.minimize(loss, true)?.dispose();
    await fused.setWeights(await plain.getWeights());
    const start = w.dataSync().slice();
    const continueWith = (o: tf.Optimizer) => {
      w.assign(tf.tensor1d(start));
      for (let s = 0; s < 5; s++) o.minimize(loss, true)?.dispose();
      return w.dataSync().slice();
    };
    const restored = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
    await restored.setWeights(await plain.getWeights());
    expectIdentical(continueWith(fused), continueWith(restored), 'after restore');
    tf.dispose([w]);
    [fused, plain, restored].forEach((o) => o.dispose());
  });
});
