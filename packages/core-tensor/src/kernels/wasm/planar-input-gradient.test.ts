import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { heapAddress, heapSimd, heapSimdCalls } from './heap-simd';
import { PLANAR_CHANNEL_PRODUCT_LIMIT } from './planar-input-gradient';
import {
  type HostTensor,
  randomHost,
  relativeError,
  runKernelOn,
} from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

type Shape4 = [number, number, number, number];

/** A copy of `values` (`planes` planes of `Hp × Wp`) with each plane's first and last row zero. */
function zeroFirstAndLastRows(
  values: ArrayLike<number>,
  planes: number,
  Hp: number,
  Wp: number,
): Float32Array {
  const bordered = Float32Array.from(values);
  for (let plane = 0; plane < planes; plane++) {
    bordered.fill(0, plane * Hp * Wp, plane * Hp * Wp + Wp);
    bordered.fill(0, (plane * Hp + Hp - 1) * Wp, (plane + 1) * Hp * Wp);
  }
  return bordered;
}

async function bothBackends(inputShape: Shape4, inputs: Record<string, HostTensor>, pad: unknown) {
  const attrs = { strides: 1, pad, dataFormat: 'NHWC', inputShape } as never;
  const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
  const count = () =>
    heapSimdCalls().planarCorrelate +
    heapSimdCalls().planarCorrelate3q +
    heapSimdCalls().planarCorrelate3r;
  const calls = count();
  const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
  return { expected, actual, direct: count() > calls };
}

/** Same NaN and ±∞ entries, and the finite ones within `tolerance` of the largest finite |cpu| value. */
function expectSameSpecials(
  actual: HostTensor,
  expected: HostTensor,
  tolerance: number,
  label: string,
) {
  let scale = 0;
  for (const v of expected.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.values.length; i++) {
    const [a, e] = [actual.values[i], expected.values[i]];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(
        Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)),
        `${label} at ${i}: ${a} vs ${e}`,
      ).toBe(true);
    } else {
      expect(Math.abs(a - e), `${label} at ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
        tolerance * (scale || 1),
      );
    }
  }
}

describe('Conv2DBackpropInput on wasm, direct SIMD kernel (stride 1, few channels)', () => {
  it('matches the cpu kernel on random shapes, 3×3/5×5 and other filters, valid/same/explicit pads', async () => {
    const rng = new SeededRandom(81);
    let checked = 0;
    while (checked < 48) {
      const batch = 1 + rng.int(3);
      const [inH, inW] = [2 + rng.int(13), 2 + rng.int(13)];
      const f = [3, 5, 1 + rng.int(6)][rng.int(3)];
      const [fh, fw] = rng.int(4) === 0 ? [f, 1 + rng.int(5)] : [f, f];
      const inC = 1 + rng.int(8);
      const outC = 1 + rng.int(32);
      if (inC * outC > PLANAR_CHANNEL_PRODUCT_LIMIT) continue;
      const kind = rng.int(3);
      const pad: unknown =
        kind === 0
          ? 'valid'
          : kind === 1
            ? 'same'
            : [
                [0, 0],
                [rng.int(fh), rng.int(fh)],
                [rng.int(fw), rng.int(fw)],
                [0, 0],
              ];
      const inputShape: Shape4 = [batch, inH, inW, inC];
      const filterShape: Shape4 = [fh, fw, inC, outC];
      let info: backend_util.Conv2DInfo;
      try {
        info = backend_util.computeConv2DInfo(inputShape, filterShape, 1, 1, pad as 'same');
      } catch {
        continue;
      }
      if (info.outHeight < 1 || info.outWidth < 1) continue;
      const inputs = { dy: randomHost(rng, info.outShape), filter: randomHost(rng, filterShape) };
      const { expected, actual, direct } = await bothBackends(inputShape, inputs, pad);
      const label = JSON.stringify({ inputShape, filterShape, pad });
      expect(direct, `${label} takes the direct kernel`).toBe(true);
      expect(relativeError(actual, expected), label).toBeLessThan(1e-5);
      checked++;
    }
  });

  it('LeNet-5’s conv1 and conv2 input gradients (batch 32; conv2 6·16 channels, three at a time) take it and match cpu', async () => {
    const rng = new SeededRandom(82);
    for (const [inputShape, filterShape, takesDirect] of [
      [[32, 28, 28, 1], [5, 5, 1, 6], true],
      [[32, 12, 12, 6], [5, 5, 6, 16], true],
      [[32, 12, 12, 8], [5, 5, 8, 16], false], // 8·16, not a multiple of 3: XNNPACK
    ] as Array<[Shape4, Shape4, boolean]>) {
      const info = backend_util.computeConv2DInfo(inputShape, filterShape, 1, 1, 'valid');
      const inputs = { dy: randomHost(rng, info.outShape), filter: randomHost(rng, filterShape) };
      const { expected, actual, direct } = await bothBackends(inputShape, inputs, 'valid');
      expect(direct).toBe(takesDirect);
      expect(relativeError(actual, expected)).toBeLessThan(1e-5);
    }
  });

  it('three output planes per pass give planarCorrelate’s sums bit for bit (12- and 4-column blocks, zero rows skipped)', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const kernels = heapSimd(backend);
    expect(kernels).not.toBeNull();
    const rng = new SeededRandom(85);
    // N 2, 5 input planes, 6 output planes, outH 3, Wq 16 (one 12-column block, one 4), 3×2 taps.
    const [N, P, Q, outH, Wq, fh, fw] = [2, 5, 6, 3, 16, 3, 2];
    const [Hp, Wp] = [outH + fh - 1, Wq + fw - 1];
    const planes = tf.tensor(rng.normalArray(N * P * Hp * Wp));
    const taps = tf.tensor(rng.normalArray(Q * P * fh * fw));
    const [one, three] = [tf.zeros([N * Q * outH * Wq]), tf.zeros([N * Q * outH * Wq])];
    const at = (t: tf.Tensor) => heapAddress(backend, t.dataId);
    kernels?.planarCorrelate(at(planes), at(taps), at(one), N, P, Q, outH, Wq, Hp, Wp, fh, fw);
    kernels?.planarCorrelate3q(
      at(planes),
      at(taps),
      at(three),
      N,
      P,
      Q,
      outH,
      Wq,
      Hp,
      Wp,
      fh,
      fw,
      0,
      Hp,
    );
    const [a, b] = [one.dataSync(), three.dataSync()];
    expect(a.some((v) => v !== 0)).toBe(true);
    for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i]), `output ${i}`).toBe(true);
    // Zero the first and last row of every plane: skipping them ([1, Hp − 1)) changes nothing.
    const zeroRows = tf.tensor(zeroFirstAndLastRows(planes.dataSync(), N * P, Hp, Wp));
    kernels?.planarCorrelate(at(zeroRows), at(taps), at(one), N, P, Q, outH, Wq, Hp, Wp, fh, fw);
    kernels?.planarCorrelate3q(
      at(zeroRows),
      at(taps),
      at(three),
      N,
      P,
      Q,
      outH,
      Wq,
      Hp,
      Wp,
      fh,
      fw,
      1,
      Hp - 1,
    );
    const [c, d] = [one.dataSync(), three.dataSync()];
    for (let i = 0; i < c.length; i++)
      expect(Object.is(c[i], d[i]), `skipped rows, output ${i}`).toBe(true);
    tf.dispose([planes, taps, one, three, zeroRows]);
  });

  it('three output rows per pass give planarCorrelate’s sums bit for bit (every row phase, both column blocks, the pulled-back last pass, zero rows skipped, NaN)', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const kernels = heapSimd(backend);
    expect(kernels).not.toBeNull();
    const rng = new SeededRandom(86);
    const at = (t: tf.Tensor) => heapAddress(backend, t.dataId);
    // [N, P, Q, outH, Wq, fh, fw]: outH 3 (one pass) to 28 (LeNet-5 conv1's, last pass pulled
    // back), Wq 4 / 12 / 16 / 28 (12- and 4-column blocks), tap rows 2 (no three-row phase), 3, 5.
    for (const [N, P, Q, outH, Wq, fh, fw] of [
      [2, 2, 1, 3, 16, 2, 1],
      [1, 3, 2, 4, 4, 3, 3],
      [2, 1, 1, 7, 12, 5, 5],
      [1, 6, 1, 28, 28, 5, 5],
      [2, 2, 2, 5, 28, 3, 2],
    ]) {
      const [Hp, Wp] = [outH + fh - 1, Wq + fw - 1];
      const values = rng.normalArray(N * P * Hp * Wp);
      // A NaN inside: both kernels must spread it to the same outputs.
      values[Math.floor(values.length / 3)] = Number.NaN;
      const planes = tf.tensor(values);
      const taps = tf.tensor(rng.normalArray(Q * P * fh * fw));
      const [one, rows] = [tf.zeros([N * Q * outH * Wq]), tf.zeros([N * Q * outH * Wq])];
      const label = `[${N},${P},${Q},${outH},${Wq},${fh},${fw}]`;
      // Then the first and last row of every plane zero: skipping them ([1, Hp − 1)) changes nothing.
      const zeroRows = tf.tensor(zeroFirstAndLastRows(values, N * P, Hp, Wp));
      for (const [source, rowLo, rowHi, what] of [
        [planes, 0, Hp, 'all rows'],
        [zeroRows, 1, Hp - 1, 'zero rows skipped'],
      ] as const) {
        const args = [N, P, Q, outH, Wq, Hp, Wp, fh, fw] as const;
        kernels?.planarCorrelate(at(source), at(taps), at(one), ...args);
        kernels?.planarCorrelate3r(at(source), at(taps), at(rows), ...args, rowLo, rowHi);
        const [a, b] = [one.dataSync(), rows.dataSync()];
        expect(a.some((v) => v !== 0 && !Number.isNaN(v))).toBe(true);
        for (let i = 0; i < a.length; i++)
          expect(Object.is(a[i], b[i]), `${label} ${what}, output ${i}`).toBe(true);
      }
      tf.dispose([planes, taps, one, rows, zeroRows]);
    }
  });

  it('edge values in dy (zeros, 1e-30, 3e38, NaN): the same NaN/∞ entries as cpu', async () => {
    const rng = new SeededRandom(83);
    for (const [inputShape, filterShape, pad] of [
      [[2, 12, 12, 1], [5, 5, 1, 6], 'valid'],
      [[2, 9, 7, 3], [3, 3, 3, 4], 'same'],
    ] as Array<[Shape4, Shape4, string]>) {
      const info = backend_util.computeConv2DInfo(inputShape, filterShape, 1, 1, pad as 'same');
      const dy = randomHost(rng, info.outShape);
      const n = dy.values.length;
      // A quarter exact zeros, tiny values, a few huge positives (sums overflow to +∞ in
      // any order), two NaNs; filter taps positive so huge values cannot cancel.
      for (let i = 0; i < n; i++) {
        const r = rng.int(16);
        if (r < 4) dy.values[i] = 0;
        else if (r === 4) dy.values[i] = 1e-30;
      }
      for (let k = 0; k < 4; k++) dy.values[rng.int(n)] = 3e38;
      dy.values[rng.int(n)] = Number.NaN;
      dy.values[rng.int(n)] = Number.NaN;
      const filter = randomHost(rng, filterShape);
      for (let i = 0; i < filter.values.length; i++)
        filter.values[i] = 0.5 + Math.abs(filter.values[i]);
      const { expected, actual, direct } = await bothBackends(inputShape, { dy, filter }, pad);
      expect(direct).toBe(true);
      expectSameSpecials(actual, expected, 1e-5, JSON.stringify({ inputShape, filterShape }));
    }
    // All zeros in: all (+)zeros out.
    const inputShape: Shape4 = [1, 8, 8, 2];
    const zeros = { shape: [1, 4, 4, 3], values: new Float32Array(48) };
    const filter = randomHost(rng, [5, 5, 2, 3]);
    const { expected, actual } = await bothBackends(inputShape, { dy: zeros, filter }, 'valid');
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
  });

  it('a non-finite filter tap goes to tfjs’s own kernel, so border zeros never turn into NaN (as on cpu)', async () => {
    const rng = new SeededRandom(84);
    const inputShape: Shape4 = [2, 10, 10, 1];
    const filter = randomHost(rng, [5, 5, 1, 6]);
    filter.values[7] = Number.NaN;
    filter.values[30] = Number.POSITIVE_INFINITY;
    const dy = randomHost(rng, [2, 6, 6, 6]);
    const { expected, actual, direct } = await bothBackends(inputShape, { dy, filter }, 'valid');
    expect(direct).toBe(false);
    expectSameSpecials(actual, expected, 1e-5, 'non-finite filter');
  });

  it('leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    tf.tidy(() => {
      const x = tf.randomNormal([2, 12, 12, 3]) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
      tf.grad((input: tf.Tensor) => tf.sum(tf.conv2d(input as tf.Tensor4D, w, 1, 'same')))(
        x,
      ).dataSync();
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds()).toBe(dataIds);
  });
});
