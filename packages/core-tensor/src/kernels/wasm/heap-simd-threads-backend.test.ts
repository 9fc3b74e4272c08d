import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { axisOperatorFromMatrix } from '../../ops/axis-operator';
import { bandedSeparableFilter } from '../../ops/banded-separable-filter';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../../ops/batch-norm-training';
import { RELU_GRADIENT } from '../../ops/relu-gradient';
import { SeededRandom } from '../../random/seeded-random';
import { backendMemory, type HeapSimdKernel, heapSimd } from './heap-simd';
import {
  heapSimdSplitCalls,
  heapSimdThreads,
  SPLIT_ELEMENTS,
  setHeapSimdThreadsEnabled,
} from './heap-simd-threads';
import { planarCorrelationSplitCalls } from './planar-correlation';

// vitest runs every test file in its own process, so this one can start wasm threaded.
process.env.TRUSTGRAD_WASM_THREADS = '2';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** ResNet-20's first stage at batch 32: 524 288 floats (the split threshold), 16 channels, 8 chunks of the sum passes. */
const SHAPE = [32, 32, 32, 16];
const EDGE = [0, -0, 1e-30, -1e-40, 3e38, -3e38, Number.NaN, Infinity, -Infinity];

function randomValues(rng: SeededRandom, n: number): Float32Array {
  const values = rng.normalArray(n);
  for (let i = 0; i < n; i += 4099) values[i] = EDGE[rng.int(EDGE.length)];
  return values;
}

/** Every output of kernel `name` on `backend`, as host arrays; checks no tensor or buffer was left. */
async function outputs(
  backend: string,
  name: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  attrs: tf.NamedAttrMap = {},
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const [tensorsBefore, idsBefore] = [tf.memory().numTensors, tf.backend().numDataIds()];
  const made = Object.fromEntries(
    Object.entries(inputs).map(([k, h]) => [k, tf.tensor(h.values, h.shape, 'float32')]),
  );
  const result = tf.engine().runKernel(name, made, attrs) as tf.Tensor | tf.Tensor[];
  const outs = Array.isArray(result) ? result : [result];
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose([...outs, ...Object.values(made)]);
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(tf.backend().numDataIds()).toBe(idsBefore);
  return values;
}

function expectSameBits(actual: Float32Array[], expected: Float32Array[], label: string): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, k) => {
    const first = values.findIndex((v, i) => !Object.is(v, expected[k][i]));
    expect(first, `${label} output ${k}: first differing entry`).toBe(-1);
  });
}

describe('heap-simd kernels on the threaded wasm backend', () => {
  it('have a pool on the shared heap', () => {
    expect(SHAPE.reduce((p, d) => p * d, 1)).toBeGreaterThanOrEqual(SPLIT_ELEMENTS);
    const backend = tf.findBackend('wasm') as BackendWasm;
    expect(heapSimd(backend)).not.toBeNull();
    expect(backendMemory(backend)?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(heapSimdThreads(backend)?.size).toBe(1);
  });

  it('Relu, ReluGradient, Add (same shape, per channel) and BatchNorm give the same bits split over threads as on one, BatchNorm cpu’s bits', async () => {
    const rng = new SeededRandom(71);
    const n = SHAPE.reduce((p, d) => p * d, 1);
    const channels = SHAPE[3];
    const full = () => ({ shape: SHAPE, values: randomValues(rng, n) });
    const perChannel = (positive = false) => {
      const values = rng.normalArray(channels);
      if (positive) for (let c = 0; c < channels; c++) values[c] = Math.abs(values[c]) + 0.1;
      return { shape: [channels], values };
    };
    const cases: Array<{
      name: string;
      kernel: HeapSimdKernel[];
      inputs: Record<string, { shape: number[]; values: Float32Array }>;
      attrs?: tf.NamedAttrMap;
      cpu?: boolean;
    }> = [
      { name: 'Relu', kernel: ['relu'], inputs: { x: full() } },
      { name: RELU_GRADIENT, kernel: ['reluGradient'], inputs: { dy: full(), x: full() } },
      { name: 'Add', kernel: ['binaryElementwise'], inputs: { a: full(), b: full() } },
      { name: 'Add', kernel: ['perChannelBinary'], inputs: { a: full(), b: perChannel() } },
      {
        name: BATCH_NORM_TRAINING,
        kernel: ['channelMomentChunks', 'channelNormalize'],
        inputs: { x: full(), scale: perChannel(), offset: perChannel() },
        attrs: { epsilon: 1e-3 },
        cpu: true,
      },
      {
        name: BATCH_NORM_TRAINING_GRAD,
        kernel: ['channelGradientChunks', 'channelNormalizeGradient'],
        inputs: {
          dy: full(),
          x: full(),
          scale: perChannel(),
          mean: perChannel(),
          variance: perChannel(true),
          dMean: perChannel(),
          dVariance: perChannel(),
        },
        attrs: { epsilon: 1e-3 },
        cpu: true,
      },
    ];
    for (const { name, kernel, inputs, attrs, cpu } of cases) {
      setHeapSimdThreadsEnabled(false);
      const before = heapSimdSplitCalls();
      const alone = await outputs('wasm', name, inputs, attrs);
      expect(heapSimdSplitCalls(), `${name} split while turned off`).toEqual(before);
      setHeapSimdThreadsEnabled(true);
      const split = await outputs('wasm', name, inputs, attrs);
      const after = heapSimdSplitCalls();
      for (const k of kernel) expect((after[k] ?? 0) - (before[k] ?? 0), k).toBe(1);
      expectSameBits(split, alone, name);
      if (cpu) expectSameBits(split, await outputs('cpu', name, inputs, attrs), `${name} vs cpu`);
    }
  });
});

describe('the planar input gradient split over images on the threaded backend', () => {
  it('gives the same bits split as on one thread, and matches cpu (a CIFAR stem at batch 80)', async () => {
    const rng = new SeededRandom(77);
    // [80,32,32,16]·[3,3,3,16]: 35 M multiply-adds, above PLANAR_SPLIT_MULTIPLY_ADDS.
    const inputs = {
      dy: {
        shape: [80, 32, 32, 16],
        values: Float32Array.from(rng.normalArray(80 * 32 * 32 * 16)),
      },
      filter: { shape: [3, 3, 3, 16], values: Float32Array.from(rng.normalArray(3 * 3 * 3 * 16)) },
    };
    const attrs = {
      strides: 1,
      pad: 'same',
      dataFormat: 'NHWC',
      inputShape: [80, 32, 32, 3],
    } as never;
    const before = planarCorrelationSplitCalls();
    const split = await outputs('wasm', 'Conv2DBackpropInput', inputs, attrs);
    expect(planarCorrelationSplitCalls()).toBeGreaterThan(before);
    setHeapSimdThreadsEnabled(false);
    const alone = await outputs('wasm', 'Conv2DBackpropInput', inputs, attrs);
    setHeapSimdThreadsEnabled(true);
    expectSameBits(split, alone, 'Conv2DBackpropInput split vs alone');
    const cpu = await outputs('cpu', 'Conv2DBackpropInput', inputs, attrs);
    let worst = 0;
    let scale = 0;
    cpu[0].forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - split[0][i]));
      scale = Math.max(scale, Math.abs(v));
    });
    expect(worst / scale).toBeLessThan(1e-5);
    await tf.setBackend('wasm');
  });
});

describe('the banded separable filter split over images on the threaded backend', () => {
  it('gives the same bits split as on one thread, forward and backward (48 channels: the 32- and 16-float groups)', () => {
    const rng = new SeededRandom(79);
    // 9·33·37·48 = 527 472 floats, above SPLIT_ELEMENTS; 9 images, so the threads' shares differ.
    const shape: [number, number, number, number] = [9, 33, 37, 48];
    expect(shape.reduce((p, d) => p * d, 1)).toBeGreaterThanOrEqual(SPLIT_ELEMENTS);
    const banded = (n: number) =>
      axisOperatorFromMatrix(
        Array.from({ length: n }, (_, i) =>
          Array.from({ length: n }, (_, j) => (Math.abs(i - j) <= 2 ? rng.normal() : 0)),
        ),
      );
    const [rows, cols] = [banded(shape[1]), banded(shape[2])];
    const x = tf.tensor4d(
      randomValues(
        rng,
        shape.reduce((p, d) => p * d, 1),
      ),
      shape,
    );
    const run = () =>
      tf.tidy(() => {
        const y = bandedSeparableFilter(x, rows, cols);
        const dx = tf.grad((v: tf.Tensor) =>
          tf.sum(tf.mul(x, bandedSeparableFilter(v as tf.Tensor4D, rows, cols))),
        )(x);
        return [y.dataSync() as Float32Array, dx.dataSync() as Float32Array];
      });
    setHeapSimdThreadsEnabled(false);
    const before = heapSimdSplitCalls().bandedSeparable ?? 0;
    const alone = run();
    expect(heapSimdSplitCalls().bandedSeparable ?? 0).toBe(before);
    setHeapSimdThreadsEnabled(true);
    const split = run();
    // The forward once in each run, the backward (transposed operators) once.
    expect((heapSimdSplitCalls().bandedSeparable ?? 0) - before).toBe(3);
    expectSameBits(split, alone, 'bandedSeparableFilter split vs alone');
    x.dispose();
  });
});
