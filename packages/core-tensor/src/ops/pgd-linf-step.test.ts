import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { InvalidOptionError, ShapeError } from '../errors/trustgrad-error';
import { registerTrainingKernels } from '../kernels/register-training-kernels';
import { heapSimdCalls } from '../kernels/wasm/heap-simd';
import { SeededRandom } from '../random/seeded-random';
import { composedPgdLinfStep, PGD_LINF_STEP, pgdLinfStep } from './pgd-linf-step';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  registerTrainingKernels();
});

const SPECIAL = [0, -0, Number.NaN, 1e-40, -1e-40, 1e-30, -3e38, 3e38, Infinity, -Infinity];

interface Case {
  shape: number[];
  xAdv: Float32Array;
  g: Float32Array;
  x: Float32Array;
  alpha: Float32Array;
  eps: Float32Array;
}

/** Random iterates with every edge value in the gradient (±0, NaN, denormals, ±∞) and in xAdv/x. */
function edgeCase(rng: SeededRandom, shape: number[]): Case {
  const size = shape.reduce((a, b) => a * b, 1);
  const batch = shape[0];
  const x = Float32Array.from(rng.normalArray(size), (v) => 0.5 + 0.3 * v);
  const xAdv = Float32Array.from(x, (v) => v + 0.15 * (rng.int(3) - 1) * Math.random());
  const g = rng.normalArray(size);
  for (let i = 0; i < size; i++) if (rng.int(3) === 0) g[i] = SPECIAL[rng.int(SPECIAL.length)];
  for (let k = 0; k < 6; k++) xAdv[rng.int(size)] = [-0, Number.NaN, 2, -1, 0][rng.int(5)];
  x[rng.int(size)] = -0;
  // Per-sample α and ε, including ε = 0 and α = 0.
  const alpha = Float32Array.from({ length: batch }, (_, b) => (b === 1 ? 0 : 0.01 * (1 + b)));
  const eps = Float32Array.from({ length: batch }, (_, b) => (b === 2 ? 0 : 0.1 / (1 + b)));
  return { shape, xAdv, g, x, alpha, eps };
}

/** Runs the op (`fused`) or the composition on the current backend and returns host values. */
function run(c: Case, range: readonly [number, number] | null, fused: boolean): Float32Array {
  return tf.tidy(() => {
    const [xAdv, g, x] = [c.xAdv, c.g, c.x].map((v) => tf.tensor(v, c.shape, 'float32'));
    const [alpha, eps] = [tf.tensor1d(c.alpha), tf.tensor1d(c.eps)];
    const out = fused
      ? pgdLinfStep(xAdv, g, x, { stepSize: alpha, epsilon: eps, range })
      : composedPgdLinfStep(xAdv, g, x, alpha, eps, range);
    return out.dataSync() as Float32Array;
  });
}

/** Equal entry by entry as `Object.is` sees it (NaN = NaN, +0 ≠ −0). */
function expectIdentical(actual: Float32Array, expected: Float32Array, label: string) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(
        `${label}: entry ${i} is ${actual[i]}, the cpu composition gives ${expected[i]}`,
      );
    }
  }
}

describe('pgdLinfStep (fused sign-step-project-clip)', () => {
  const shapes = [
    [4, 28, 28, 1], // 784 per sample: the SIMD loop only
    [3, 5, 3, 3], // 45 per sample: SIMD loop plus a scalar tail of 1
    [5, 7], // rank 2, 7 per sample
  ];
  for (const range of [[0, 1] as const, null]) {
    it(`equals the cpu composition bit for bit on cpu and on wasm (range ${range ? `[${range}]` : 'none'})`, async () => {
      const rng = new SeededRandom(range ? 91 : 92);
      for (const shape of shapes) {
        const c = edgeCase(rng, shape);
        await tf.setBackend('cpu');
        expect(tf.getKernel(PGD_LINF_STEP, 'cpu')).toBeDefined();
        const reference = run(c, range, false);
        expectIdentical(run(c, range, true), reference, `cpu kernel ${JSON.stringify(shape)}`);
        await tf.setBackend('wasm');
        const calls = heapSimdCalls().pgdLinfStep;
        expectIdentical(run(c, range, true), reference, `wasm SIMD ${JSON.stringify(shape)}`);
        expect(heapSimdCalls().pgdLinfStep).toBe(calls + 1);
      }
    });
  }

  it('moves each pixel by ±α (or not at all for a zero/NaN gradient), stays in the ε-ball and the range', async () => {
    await tf.setBackend('wasm');
    const out = tf.tidy(() => {
      const x = tf.tensor([0.5, 0.5, 0.5, 0.5, 0.95, 0.05], [1, 6]);
      const xAdv = tf.tensor([0.5, 0.58, 0.5, 0.5, 0.99, 0.01], [1, 6]);
      const g = tf.tensor([1, 1, -0, Number.NaN, 1, -1], [1, 6]);
      return pgdLinfStep(xAdv, g, x, { stepSize: 0.03, epsilon: 0.1, range: [0, 1] }).dataSync();
    });
    const expected = [0.53, 0.6, 0.5, 0.5, 1, 0];
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('rejects bad input with typed errors naming the fix, and leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const [a, b] = [tf.zeros([2, 4]), tf.zeros([2, 3])];
    const step = { stepSize: 0.01, epsilon: 0.1 };
    expect(() => pgdLinfStep(a, b, a, step)).toThrow(ShapeError);
    expect(() => pgdLinfStep(a, a, a, { ...step, stpeSize: 1 } as never)).toThrow(
      /did you mean "stepSize"/,
    );
    expect(() => pgdLinfStep(a, a, a, { ...step, range: [1, 0] })).toThrow(InvalidOptionError);
    expect(() => pgdLinfStep(a, a, a, { ...step, epsilon: Number.NaN })).toThrow(
      InvalidOptionError,
    );
    const wrong = tf.zeros([3]);
    expect(() => pgdLinfStep(a, a, a, { stepSize: wrong, epsilon: 0.1 })).toThrow(
      /per-sample tensor \[2\]/,
    );
    pgdLinfStep(a, a, a, step).dispose();
    tf.dispose([a, b, wrong]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
