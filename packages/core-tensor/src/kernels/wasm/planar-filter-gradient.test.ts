import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { filterGradientByPlanes, filterGradientWithoutPlanes } from './conv2d-backprop-filter';
import { heapAddress, heapSimd, heapSimdCalls } from './heap-simd';
import { disposeIntermediate } from './original-kernels';
import {
  type HostTensor,
  randomHost,
  relativeError,
  runKernelOn,
} from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

type Pad = 'same' | 'valid' | number;

/** One wasm filter-gradient path (`planes` or the others) on host data, as host data; checks for leaks. */
async function runPath(
  planes: boolean,
  x: HostTensor,
  dy: HostTensor,
  info: backend_util.Conv2DInfo,
): Promise<HostTensor> {
  await tf.setBackend('wasm');
  const backend = tf.backend() as BackendWasm;
  const before = backend.numDataIds();
  const [xt, dyt] = [x, dy].map((h) => tf.tensor(h.values, h.shape, 'float32'));
  const out = planes
    ? filterGradientByPlanes(backend, xt, dyt, info)
    : filterGradientWithoutPlanes(backend, xt, dyt, info);
  if (!out) throw new Error('the planar path declined a case it should take');
  const values = (backend.typedArrayFromHeap(out) as Float32Array).slice();
  disposeIntermediate(backend, out);
  tf.dispose([xt, dyt]);
  expect(backend.numDataIds()).toBe(before);
  return { shape: out.shape, values };
}

async function cpuReference(x: HostTensor, dy: HostTensor, filterShape: number[], pad: Pad) {
  const attrs = { strides: 1, pad, dataFormat: 'NHWC', filterShape } as never;
  return runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
}

describe('Conv2DBackpropFilter on wasm, planar SIMD path (stride 1, few channels)', () => {
  it('matches the cpu kernel and the other wasm paths on random filters 1×1 to 7×6, every padding, rows not a multiple of 4', async () => {
    const rng = new SeededRandom(21);
    for (let k = 0; k < 24; k++) {
      const [fh, fw] = [1 + rng.int(7), 1 + rng.int(6)];
      const [C, O] = [1 + rng.int(6), 1 + rng.int(9)];
      const shape = [1 + rng.int(3), fh + rng.int(9), fw + rng.int(11), C];
      const pad: Pad = (['same', 'valid', rng.int(Math.min(fh, fw))] as Pad[])[rng.int(3)];
      const filterShape: [number, number, number, number] = [fh, fw, C, O];
      const info = backend_util.computeConv2DInfo(shape as never, filterShape, 1, 1, pad);
      const x = randomHost(rng, shape);
      const dy = randomHost(rng, info.outShape);
      const expected = await cpuReference(x, dy, filterShape, pad);
      const label = JSON.stringify({ shape, filterShape, pad });
      const calls = heapSimdCalls();
      expect(relativeError(await runPath(true, x, dy, info), expected), label).toBeLessThan(1e-5);
      const used =
        fw > 3
          ? 'planarFilterGradient5'
          : O % 2 === 0
            ? 'planarFilterGradient3x2'
            : 'planarFilterGradient3';
      expect(heapSimdCalls()[used], label).toBeGreaterThan(calls[used]);
      expect(relativeError(await runPath(false, x, dy, info), expected), label).toBeLessThan(1e-4);
    }
  });

  it('sums many images in float32 chunks and float64 across them (LeNet-5 conv1 and conv2, batch 32)', async () => {
    const rng = new SeededRandom(22);
    for (const [shape, filterShape] of [
      [
        [32, 28, 28, 1],
        [5, 5, 1, 6],
      ],
      [
        [32, 12, 12, 6],
        [5, 5, 6, 16],
      ],
      [
        [8, 32, 32, 16],
        [3, 3, 16, 16],
      ],
    ] as Array<[number[], [number, number, number, number]]>) {
      const pad = filterShape[0] === 3 ? 'same' : 'valid';
      const info = backend_util.computeConv2DInfo(shape as never, filterShape, 1, 1, pad);
      const x = randomHost(rng, shape);
      const dy = randomHost(rng, info.outShape);
      const expected = await cpuReference(x, dy, filterShape, pad);
      expect(relativeError(await runPath(true, x, dy, info), expected)).toBeLessThan(2e-6);
    }
  });

  const kind = (v: number) =>
    Number.isNaN(v) ? 'nan' : Number.isFinite(v) ? 'finite' : Math.sign(v);
  it('gives ±∞ and NaN where the cpu kernel does: non-finite inputs with any padding, non-finite output gradients without', async () => {
    const rng = new SeededRandom(23);
    const shape = [2, 9, 10, 2];
    const filterShape: [number, number, number, number] = [3, 5, 2, 3];
    for (const [pad, dyEdges] of [
      ['valid', true],
      ['same', false],
    ] as const) {
      const info = backend_util.computeConv2DInfo(shape as never, filterShape, 1, 1, pad);
      const x = randomHost(rng, shape);
      const dy = randomHost(rng, info.outShape);
      x.values[37] = Number.POSITIVE_INFINITY;
      x.values[101] = Number.NaN;
      x.values[200] = 1e30; // huge, its products still within float32
      if (dyEdges) {
        dy.values[5] = Number.NEGATIVE_INFINITY;
        dy.values[17] = 0;
      }
      const expected = await cpuReference(x, dy, filterShape, pad);
      const actual = await runPath(true, x, dy, info);
      expect(Array.from(actual.values, kind), pad).toEqual(Array.from(expected.values, kind));
      expect(Array.from(expected.values, kind)).toContain('nan');
    }
  });

  it('two output channels per pass (3 taps, even O) give the one-channel kernel’s sums bit for bit', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const kernels = heapSimd(backend);
    expect(kernels).not.toBeNull();
    const rng = new SeededRandom(24);
    // N 3, C 2, O 4, outH 5, outW 7 (a column tail of 3), 3×3 taps: Hp 7, Wp 9.
    const [N, C, O, outH, outW, fh, fw, Hp, Wp] = [3, 2, 4, 5, 7, 3, 3, 7, 9];
    const planes = tf.tensor(rng.normalArray(N * C * Hp * Wp));
    const gradients = tf.tensor(rng.normalArray(N * O * outH * outW));
    const [one, two] = [tf.zeros([O * C * fh * fw]), tf.zeros([O * C * fh * fw])];
    const at = (t: tf.Tensor) => heapAddress(backend, t.dataId);
    kernels?.planarFilterGradient3(
      at(planes),
      at(gradients),
      at(one),
      0,
      N,
      C,
      O,
      outH,
      outW,
      Hp,
      Wp,
      fh,
      fw,
    );
    kernels?.planarFilterGradient3x2(
      at(planes),
      at(gradients),
      at(two),
      0,
      N,
      C,
      O,
      outH,
      outW,
      Hp,
      Wp,
      fh,
      fw,
    );
    const [a, b] = [one.dataSync(), two.dataSync()];
    expect(a.some((v) => v !== 0)).toBe(true);
    for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i]), `tap ${i}`).toBe(true);
    tf.dispose([planes, gradients, one, two]);
  });

  it('declines what it does not compute: strides, dilations, many channels, non-float32', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const x = tf.zeros([1, 8, 8, 16]);
    const dy = tf.zeros([1, 8, 8, 32]);
    const info = (
      strides: number,
      dilations: number,
      filterShape: [number, number, number, number],
    ) =>
      backend_util.computeConv2DInfo(
        [1, 8, 8, filterShape[2]],
        filterShape,
        strides,
        dilations,
        'same',
      );
    expect(filterGradientByPlanes(backend, x, dy, info(2, 1, [3, 3, 16, 32]), 1e9)).toBeNull();
    expect(filterGradientByPlanes(backend, x, dy, info(1, 2, [3, 3, 16, 32]), 1e9)).toBeNull();
    expect(filterGradientByPlanes(backend, x, dy, info(1, 1, [3, 3, 16, 32]))).toBeNull();
    const xi = tf.zeros([1, 8, 8, 16], 'int32');
    expect(filterGradientByPlanes(backend, xi, dy, info(1, 1, [3, 3, 16, 32]), 1e9)).toBeNull();
    tf.dispose([x, dy, xi]);
  });
});
