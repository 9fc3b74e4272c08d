import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { ShapeError } from '../errors/trustgrad-error';
import { registerTrainingKernels } from '../kernels/register-training-kernels';
import { heapSimdCalls } from '../kernels/wasm/heap-simd';
import { composedMomentumUpdate, MOMENTUM_UPDATE, momentumUpdate } from '../ops/momentum-update';
import { SeededRandom } from '../random/seeded-random';
import { FusedMomentumOptimizer } from './fused-momentum';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  registerTrainingKernels();
});

const SPECIAL = [0, -0, Number.NaN, 1e-40, -1e-40, 1e-30, -3e38, 3e38, 1e20, Infinity, -Infinity];
// 1, 3: the scalar tail only; 5, 17: one and four vectors plus a tail of 1; 150 and 128: more.
const SHAPES = [[1], [3], [5], [17], [5, 5, 1, 6], [16, 8]];
const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);

/** Equal entry by entry as `Object.is` sees it (NaN = NaN, +0 ≠ −0). */
function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string) {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${label}: entry ${i} is ${actual[i]}, the reference gives ${expected[i]}`);
    }
  }
}

/** Random weights, accumulations and gradients with edge values in all three (most in the gradient). */
function edgeArrays(rng: SeededRandom, n: number) {
  const pick = () => SPECIAL[rng.int(SPECIAL.length)];
  const value = rng.normalArray(n);
  const accumulation = Float32Array.from(rng.normalArray(n), (v) => 0.1 * v);
  const gradient = rng.normalArray(n);
  for (let i = 0; i < n; i++) {
    if (rng.int(3) === 0) gradient[i] = pick();
    if (rng.int(8) === 0) accumulation[i] = pick();
    if (rng.int(8) === 0) value[i] = pick();
  }
  return { value, accumulation, gradient };
}

/** One update on the current backend, fused or composed, as host arrays [value, accumulation]. */
function update(
  a: ReturnType<typeof edgeArrays>,
  shape: number[],
  fused: boolean,
  momentum: number,
  negativeLearningRate: number,
  nesterov: boolean,
) {
  return tf.tidy(() => {
    const [value, accumulation, gradient] = [a.value, a.accumulation, a.gradient].map((x) =>
      tf.tensor(x, shape, 'float32'),
    );
    const r = (fused ? momentumUpdate : composedMomentumUpdate)(
      value,
      accumulation,
      gradient,
      tf.scalar(momentum),
      tf.scalar(negativeLearningRate),
      nesterov,
    );
    return [r.value, r.accumulation].map((t) => t.dataSync() as Float32Array);
  });
}

describe('momentumUpdate (fused momentum step)', () => {
  it('equals tfjs momentum’s composition on cpu bit for bit, on cpu and on wasm, edge values and Nesterov included', async () => {
    const rng = new SeededRandom(11);
    // μ and −lr as trainers use them, a μ of 0, and a huge step that overflows.
    for (const [momentum, negLr] of [
      [0.9, -0.01],
      [0.99, -0.1],
      [0, -1e-3],
      [0.5, -3e30],
    ]) {
      for (const nesterov of [false, true]) {
        for (const shape of SHAPES) {
          const a = edgeArrays(rng, size(shape));
          const label = `${JSON.stringify(shape)} μ ${momentum} c ${negLr} nesterov ${nesterov}`;
          await tf.setBackend('cpu');
          expect(tf.getKernel(MOMENTUM_UPDATE, 'cpu')).toBeDefined();
          const reference = update(a, shape, false, momentum, negLr, nesterov);
          update(a, shape, true, momentum, negLr, nesterov).forEach((r, k) =>
            expectIdentical(r, reference[k], `cpu kernel ${label} output ${k}`),
          );
          await tf.setBackend('wasm');
          // tfjs's composition on wasm gives the same bits as on cpu …
          update(a, shape, false, momentum, negLr, nesterov).forEach((r, k) =>
            expectIdentical(r, reference[k], `wasm composition ${label} output ${k}`),
          );
          // … and so does the SIMD kernel, in one call.
          const calls = heapSimdCalls().momentumUpdate;
          update(a, shape, true, momentum, negLr, nesterov).forEach((r, k) =>
            expectIdentical(r, reference[k], `wasm SIMD ${label} output ${k}`),
          );
          expect(heapSimdCalls().momentumUpdate).toBe(calls + 1);
        }
      }
    }
  });

  it('computes the heavy-ball and Nesterov updates by hand, μ and −lr as numbers or scalars', async () => {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const run = (nesterov: boolean, asTensors: boolean) =>
        tf.tidy(() => {
          const [m, c] = asTensors ? [tf.scalar(0.5), tf.scalar(-0.25)] : [0.5, -0.25];
          const r = momentumUpdate(
            tf.tensor1d([1]),
            tf.tensor1d([2]),
            tf.tensor1d([4]),
            m,
            c,
            nesterov,
          );
          return [r.value.dataSync()[0], r.accumulation.dataSync()[0]];
        });
      for (const asTensors of [false, true]) {
        // a' = 0.5·2 + 4 = 5; w' = −0.25·5 + 1
        expect(run(false, asTensors)).toEqual([-0.25, 5]);
        // w' = −0.25·(4 + 5·0.5) + 1
        expect(run(true, asTensors)).toEqual([-0.625, 5]);
      }
    }
  });

  it('rejects mismatched shapes and non-scalar hyper-parameters with typed errors', () => {
    const [a, b, s] = [tf.zeros([4]), tf.zeros([3]), tf.zeros([2])];
    expect(() => momentumUpdate(a, a, b, 0.9, -0.1)).toThrow(ShapeError);
    expect(() => momentumUpdate(a, b, a, 0.9, -0.1)).toThrow(ShapeError);
    expect(() => momentumUpdate(a, a, a, s as tf.Scalar, -0.1)).toThrow(
      /momentum must be a scalar/,
    );
    expect(() => momentumUpdate(a, a, a, 0.9, s as tf.Scalar)).toThrow(
      /negativeLearningRate must be a scalar/,
    );
    tf.dispose([a, b, s]);
  });

  it('falls back to the composition for a non-float32 variable', async () => {
    await tf.setBackend('cpu');
    const info = await tf.profile(() =>
      tf.tidy(() => {
        const w = tf.tensor1d([1, 2], 'int32');
        const r = momentumUpdate(w, tf.zerosLike(w), tf.tensor1d([3, 4], 'int32'), 1, -1);
        expect(Array.from(r.value.dataSync())).toEqual([-2, -2]);
      }),
    );
    expect(info.kernels.map((k) => k.name)).not.toContain(MOMENTUM_UPDATE);
  });
});

/** A set of variables of the test's shapes with the same initial (edge) values, named `<prefix>/<k>`. */
function variables(prefix: string, seed: number): tf.Variable[] {
  const rng = new SeededRandom(seed);
  return SHAPES.map((shape, k) =>
    tf.tidy(() =>
      tf.variable(tf.tensor(edgeArrays(rng, size(shape)).value, shape), true, `${prefix}/${k}`),
    ),
  );
}

/** Step `s`'s gradients (edge values included), the same for every optimiser under test. */
function gradients(s: number, withEdges: boolean): Float32Array[] {
  const rng = new SeededRandom(100 + s);
  return SHAPES.map((shape) => {
    const a = edgeArrays(rng, size(shape));
    return withEdges ? a.gradient : rng.normalArray(size(shape));
  });
}

/**
 * Runs `steps` steps of `optimizer` on fresh variables, the gradients given as a
 * map (even steps) or a list (odd), one variable's gradient null every third
 * step; `between(s)` runs before step `s`. Returns the weights after each step.
 */
function run(
  optimizer: tf.MomentumOptimizer,
  prefix: string,
  steps: number,
  options: { withEdges?: boolean; between?: (s: number) => void; counts?: number[] } = {},
): Float32Array[][] {
  const vars = variables(prefix, 5);
  const history: Float32Array[][] = [];
  for (let s = 0; s < steps; s++) {
    options.between?.(s);
    const grads = gradients(s, options.withEdges ?? true).map((g, k) => tf.tensor(g, SHAPES[k]));
    // tfjs pairs accumulations with variables by position: a skipped one is a null gradient.
    const gradient = (k: number) => (s % 3 === 2 && k === 1 ? null : grads[k]) as tf.Tensor;
    if (s % 2 === 0) {
      const map: Record<string, tf.Tensor> = {};
      vars.forEach((v, k) => {
        map[v.name] = gradient(k);
      });
      // tfjs types the map as variables; any tensors do (gradients are tensors).
      optimizer.applyGradients(
        map as unknown as Parameters<tf.MomentumOptimizer['applyGradients']>[0],
      );
    } else {
      optimizer.applyGradients(vars.map((v, k) => ({ name: v.name, tensor: gradient(k) })));
    }
    tf.dispose(grads);
    options.counts?.push(tf.memory().numTensors);
    history.push(vars.map((v) => v.dataSync() as Float32Array));
  }
  tf.dispose(vars);
  return history;
}

describe('FusedMomentumOptimizer', () => {
  for (const backend of ['cpu', 'wasm']) {
    for (const nesterov of [false, true]) {
      it(`equals tf.train.momentum bit for bit over 8 steps, edge values, learning-rate and momentum changes included (${backend}, nesterov ${nesterov})`, async () => {
        await tf.setBackend(backend);
        const between = (o: tf.MomentumOptimizer) => (s: number) => {
          if (s === 3) o.setLearningRate(0.5);
          if (s === 5) o.setLearningRate(1e-3);
          // tfjs keeps the momentum scalar of its constructor: this changes the config only.
          if (s === 6) o.setMomentum(0.1);
        };
        const reference = tf.train.momentum(0.01, 0.9, nesterov);
        const expected = run(reference, `ref-${backend}-${nesterov}`, 8, {
          between: between(reference),
        });
        const fused = new FusedMomentumOptimizer(0.01, 0.9, nesterov);
        const counts: number[] = [];
        const calls = heapSimdCalls().momentumUpdate;
        const actual = run(fused, `fused-${backend}-${nesterov}`, 8, {
          between: between(fused),
          counts,
        });
        expected.forEach((step, s) =>
          step.forEach((w, k) => expectIdentical(actual[s][k], w, `step ${s} variable ${k}`)),
        );
        // One SIMD call per variable and step (one variable skipped every third step).
        if (backend === 'wasm') {
          expect(heapSimdCalls().momentumUpdate - calls).toBe(8 * SHAPES.length - 2);
        }
        // The accumulations appear in the first step and nothing else stays behind.
        expect(new Set(counts).size).toBe(1);
        const [ref, ours] = [await reference.getWeights(), await fused.getWeights()];
        expect(ours.map((w) => w.name.replace(/^fused/, ''))).toEqual(
          ref.map((w) => w.name.replace(/^ref/, '')),
        );
        ours.forEach((w, k) =>
          expectIdentical(w.tensor.dataSync(), ref[k].tensor.dataSync(), `slot ${w.name}`),
        );
        expect(fused.getConfig()).toEqual(reference.getConfig());
        reference.dispose();
        fused.dispose();
      });
    }
  }

  it('runs one kernel per variable on cpu, where tfjs runs Mul, Add, Mul, Add', async () => {
    await tf.setBackend('cpu');
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const g = tf.tensor1d([0.5, -1, 2]);
    const names = async (o: tf.Optimizer) =>
      (await tf.profile(() => o.applyGradients({ [w.name]: g }))).kernels.map((k) => k.name);
    const [fused, plain] = [new FusedMomentumOptimizer(0.1, 0.9), tf.train.momentum(0.1, 0.9)];
    await names(fused); // the first step also makes the accumulation
    await names(plain);
    expect(await names(fused)).toEqual([MOMENTUM_UPDATE]);
    expect(await names(plain)).toEqual(['Multiply', 'Add', 'Multiply', 'Add']);
    tf.dispose([w, g]);
    fused.dispose();
    plain.dispose();
  });

  it('is serialised as Momentum with tf.train.momentum’s config; checkpoints move both ways', async () => {
    await tf.setBackend('wasm');
    const fused = new FusedMomentumOptimizer(1e-2, 0.9, true);
    const plain = tf.train.momentum(1e-2, 0.9, true);
    expect(fused.getClassName()).toBe('Momentum');
    expect(fused.getConfig()).toEqual(plain.getConfig());
    const w = tf.variable(tf.tensor1d([0.5, -1, 2, 7, -0.25]), true, 'fused-momentum-restore');
    const loss = () => tf.sum(tf.mul(tf.square(w), tf.tensor1d([1, 2, 3, 0.1, 5]))) as tf.Scalar;
    for (let s = 0; s < 5; s++) plain.minimize(loss, true)?.dispose();
    const start = w.dataSync().slice();
    const continueWith = (o: tf.Optimizer) => {
      w.assign(tf.tensor1d(start));
      for (let s = 0; s < 5; s++) o.minimize(loss, true)?.dispose();
      return w.dataSync().slice();
    };
    // plain → fused, against plain → plain.
    await fused.setWeights(await plain.getWeights());
    const restored = tf.train.momentum(1e-2, 0.9, true);
    await restored.setWeights(await plain.getWeights());
    expectIdentical(continueWith(fused), continueWith(restored), 'plain → fused');
    // fused → plain, against fused → fused.
    const [toPlain, toFused] = [
      tf.train.momentum(1e-2, 0.9, true),
      new FusedMomentumOptimizer(1e-2, 0.9, true),
    ];
    const saved = await fused.getWeights();
    await toPlain.setWeights(saved);
    await toFused.setWeights(saved);
    expectIdentical(continueWith(toPlain), continueWith(toFused), 'fused → plain');
    tf.dispose([w]);
    [fused, plain, restored, toPlain, toFused].forEach((o) => o.dispose());
  });

  it('trains a small network to tf.train.momentum’s weights through minimize (wasm)', async () => {
    await tf.setBackend('wasm');
    const train = (optimizer: tf.Optimizer) => {
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
      const before = tf.memory().numTensors;
      for (let s = 0; s < 20; s++) {
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
      // Only the accumulations (one per variable) stay behind.
      expect(tf.memory().numTensors - before).toBe(3);
      const out = [w1, b1, w2].map((t) => t.dataSync() as Float32Array);
      tf.dispose([w1, b1, w2, x, y]);
      optimizer.dispose();
      return out;
    };
    const expected = train(tf.train.momentum(0.05, 0.9));
    train(new FusedMomentumOptimizer(0.05, 0.9)).forEach((w, k) =>
      expectIdentical(w, expected[k], `weight ${k}`),
    );
  });
});
