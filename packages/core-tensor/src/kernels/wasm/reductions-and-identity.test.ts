import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { heapSimdCalls } from './heap-simd';
import { castConfig, identityConfig } from './identity';
import { meanConfig } from './mean';
import { sumConfig } from './sum';
import {
  type HostTensor,
  randomHost,
  relativeError,
  runKernelOn,
} from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** Shapes and axes: contiguous runs short of the last axis (the fast path) and others (the original kernels). */
const CASES: Array<[number[], number[]]> = [
  [
    [128, 32, 32, 16],
    [0, 1, 2],
  ], // BatchNorm moments on a ResNet-20 activation
  [
    [7, 5, 3],
    [0, 1],
  ],
  [[7, 5, 3], [0]],
  [[5, 3], [0]],
  [
    [4, 6, 2, 3],
    [0, 1],
  ],
  [
    [16, 8, 8, 64],
    [1, 2],
  ], // global average pooling: a run in the middle, the fast path per image
  [[3, 4, 5], [1]],
  [
    [2, 3, 4, 5],
    [1, 2],
  ],
  [[3, 4, 5], [2]], // the last axis: original kernel
  [
    [3, 4, 5],
    [0, 2],
  ], // not a run: original kernel
  [
    [6, 4],
    [0, 1],
  ], // every axis: rows of one value
  [[128], [0]], // a loss vector's mean
  [[1], [0]],
];

/** Random data with edge entries: zeros, ±0, tiny and huge magnitudes, NaN, ±∞ in some cases. */
function edgy(rng: SeededRandom, shape: number[], specials: boolean): HostTensor {
  const host = randomHost(rng, shape);
  const v = host.values;
  const edge = [0, -0, 1e-30, -1e-38, 1.4e-45, 3e38, -3e38, 1e-8];
  for (let i = 0; i < v.length; i += 7) v[i] = edge[(i / 7) % edge.length];
  if (specials && v.length > 20) {
    v[3] = Number.NaN;
    v[11] = Number.POSITIVE_INFINITY;
    v[v.length - 2] = Number.NEGATIVE_INFINITY;
  }
  return host;
}

/** Equal where both are finite to `tol` of the column scale; NaN and ±∞ exactly where cpu has them. */
function expectClose(actual: HostTensor, expected: HostTensor, tol: number, label: string): void {
  expect(actual.shape, label).toEqual(expected.shape);
  const finite = (h: HostTensor) => ({
    shape: h.shape,
    values: h.values.map((x) => (Number.isFinite(x) ? x : 0)),
  });
  for (let i = 0; i < expected.values.length; i++) {
    const [a, e] = [actual.values[i], expected.values[i]];
    if (!Number.isFinite(e))
      expect(
        Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)),
        `${label} [${i}]: ${a} vs ${e}`,
      ).toBe(true);
  }
  expect(relativeError(finite(actual), finite(expected)), label).toBeLessThan(tol);
}

describe('Sum and Mean on wasm (contiguous-axes fast path)', () => {
  it('are trustgrad’s kernels', () => {
    expect(tf.getKernel('Sum', 'wasm')?.kernelFunc).toBe(sumConfig.kernelFunc);
    expect(tf.getKernel('Mean', 'wasm')?.kernelFunc).toBe(meanConfig.kernelFunc);
  });

  it('equal cpu on every case, with keepDims, edge magnitudes, NaN and ±∞, leaving no buffer', async () => {
    const rng = new SeededRandom(91);
    for (const [shape, axis] of CASES)
      for (const keepDims of [false, true])
        for (const specials of [false, true]) {
          // Huge entries make sums overflow: keep them out of the finite comparison's scale by using moderate data there.
          const x = specials ? edgy(rng, shape, true) : randomHost(rng, shape);
          for (const kernel of ['Sum', 'Mean']) {
            const attrs = { axis, keepDims };
            const ours = await runKernelOn('wasm', kernel, { x }, attrs);
            const cpu = await runKernelOn('cpu', kernel, { x }, attrs);
            expectClose(
              ours,
              cpu,
              1e-5,
              `${kernel} [${shape}] axis [${axis}] keepDims ${keepDims} specials ${specials}`,
            );
          }
        }
    await tf.setBackend('wasm');
  }, 60_000);

  it('the SIMD row sums equal the float64 four-rows-per-pass loop bit for bit (odd channel counts, row tails, edge values)', async () => {
    const rng = new SeededRandom(93);
    const calls = heapSimdCalls().sumLeadingRows;
    for (const shape of [
      [128, 8, 8, 16],
      [7, 5, 3],
      [3, 1],
      [6, 9],
    ]) {
      const x = edgy(rng, shape, true);
      const inner = shape[shape.length - 1];
      const rows = x.values.length / inner;
      const acc = new Float64Array(inner);
      let r = 0;
      for (; r + 4 <= rows; r += 4) {
        for (let k = 0; k < inner; k++) {
          const i = r * inner + k;
          const v = x.values;
          acc[k] += v[i] + v[i + inner] + (v[i + 2 * inner] + v[i + 3 * inner]);
        }
      }
      for (; r < rows; r++) for (let k = 0; k < inner; k++) acc[k] += x.values[r * inner + k];
      const axis = shape.slice(0, -1).map((_, i) => i);
      const ours = await runKernelOn('wasm', 'Sum', { x }, { axis, keepDims: false });
      const expected = Float32Array.from(acc);
      for (let k = 0; k < inner; k++) {
        if (!Object.is(ours.values[k], expected[k])) {
          throw new Error(`[${shape}] channel ${k}: ${ours.values[k]} vs ${expected[k]}`);
        }
      }
    }
    expect(heapSimdCalls().sumLeadingRows - calls).toBe(4);
  });

  it('Mean of a leading run is the float64 mean rounded once (hand-computed)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2]);
    expect(Array.from(await tf.mean(x, [0, 1]).data())).toEqual([
      (1 + 3 + 5 + 7 + 9 + 11) / 6,
      (2 + 4 + 6 + 8 + 10 + 12) / 6,
    ]);
    expect(Array.from(await tf.mean(x, 0).data())).toEqual([5, 6, 7, 8]);
    // 1e8 + 1 + 1 − 1e8 − … : float32 accumulation would lose the ones; float64 keeps them.
    const y = tf.tensor2d([1e8, 1, 1, 1, -1e8, 1], [6, 1]);
    expect((await tf.mean(y, 0).data())[0]).toBeCloseTo(4 / 6, 6);
    tf.dispose([x, y]);
  });

  it('Mean over the spatial axes (global average pooling) runs the SIMD row sums per image, the float64 mean rounded once', async () => {
    await tf.setBackend('wasm');
    // [2, 2, 2, 3]: image n, channel c has pixels 1e8, 100·n + c + 1, 100·n + c + 2, −1e8 (all exact
    // in float32); a float32 running sum would lose the small ones next to 1e8, float64 keeps them.
    const values: number[] = [];
    for (let n = 0; n < 2; n++)
      for (const p of [1e8, 1, 2, -1e8])
        for (let c = 0; c < 3; c++) values.push(Math.abs(p) === 1e8 ? p : 100 * n + c + p);
    const x = tf.tensor4d(values, [2, 2, 2, 3]);
    const calls = heapSimdCalls().sumLeadingRows;
    const mean = await tf.mean(x, [1, 2]).data();
    expect(heapSimdCalls().sumLeadingRows - calls).toBe(2);
    const expected = [0, 1].flatMap((n) => [0, 1, 2].map((c) => (2 * (100 * n + c) + 3) / 4));
    expect(Array.from(mean)).toEqual(expected);
    x.dispose();
  });

  it('gradients through Mean (BatchNorm moments) equal cpu', async () => {
    const rng = new SeededRandom(5);
    const x = randomHost(rng, [8, 4, 4, 3]);
    const grads: Float32Array[] = [];
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const t = tf.tensor(x.values, x.shape);
      const g = tf.grad((v: tf.Tensor) => {
        const { mean, variance } = tf.moments(v, [0, 1, 2]);
        return tf.sum(
          tf.mul(tf.div(tf.sub(v, mean), tf.sqrt(tf.add(variance, 1e-3))), tf.range(1, 4)),
        );
      })(t);
      grads.push((await g.data()) as Float32Array);
      tf.dispose([t, g]);
    }
    await tf.setBackend('wasm');
    const [ours, cpu] = grads.map((values) => ({ shape: x.shape, values }));
    expect(relativeError(ours, cpu)).toBeLessThan(1e-4);
  });
});

describe('Identity and same-dtype Cast on wasm share the buffer', () => {
  it('are trustgrad’s kernels', () => {
    expect(tf.getKernel('Identity', 'wasm')?.kernelFunc).toBe(identityConfig.kernelFunc);
    expect(tf.getKernel('Cast', 'wasm')?.kernelFunc).toBe(castConfig.kernelFunc);
  });

  it('clone and cast keep every value (NaN, ±0, ±∞, denormals) and outlive the input; no buffer leaks', async () => {
    await tf.setBackend('wasm');
    const values = new Float32Array([
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -3e38,
      1.4e-45,
      1e-30,
      7,
    ]);
    const before = tf.backend().numDataIds();
    const x = tf.tensor(values, [2, 4]);
    const clone = tf.clone(x);
    const same = tf.cast(x, 'float32');
    x.dispose();
    for (const t of [clone, same]) {
      const got = await t.data();
      for (let i = 0; i < values.length; i++)
        expect(Object.is(got[i], values[i]), `${i}`).toBe(true);
    }
    tf.dispose([clone, same]);
    expect(tf.backend().numDataIds()).toBe(before);
    // A real cast still converts (original kernel).
    const asInt = tf.cast(tf.tensor([1.7, -2.2, 3]), 'int32');
    expect(Array.from(await asInt.data())).toEqual([1, -2, 3]);
    expect(asInt.dtype).toBe('int32');
    // To bool: x ≠ 0, NaN true, as on cpu (tfjs-backend-wasm's own kernel gives 2 and 255 here).
    const edge = [0, -0, 2, -1, 0.5, Number.NaN, Number.NEGATIVE_INFINITY, 1.4e-45];
    const bools = tf.cast(tf.tensor(edge), 'bool');
    const intBools = tf.cast(tf.tensor([0, 3, -7], undefined, 'int32'), 'bool');
    expect(Array.from(await bools.data())).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(await intBools.data())).toEqual([0, 1, 1]);
    await tf.setBackend('cpu');
    const cpuBools = tf.cast(tf.tensor(edge), 'bool');
    expect(Array.from(await cpuBools.data())).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
    cpuBools.dispose();
    await tf.setBackend('wasm');
    tf.dispose([asInt, bools, intBools]);
  });

  it('a variable assigned from a clone does not change the clone’s source', async () => {
    await tf.setBackend('wasm');
    const source = tf.tensor1d([1, 2, 3]);
    const v = tf.variable(tf.clone(source));
    v.assign(tf.tensor1d([9, 9, 9]));
    expect(Array.from(await source.data())).toEqual([1, 2, 3]);
    expect(Array.from(await v.data())).toEqual([9, 9, 9]);
    tf.dispose([source, v]);
  });
});
