import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { heapSimdCalls } from './heap-simd';
import {
  expectIdenticalHost,
  type HostTensor,
  randomHost,
  runKernelOn,
} from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const EDGE = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-40, -3e38];

/** Random data with every edge value sprinkled in (and one all-NaN 2×2 window at the start). */
function edgy(rng: SeededRandom, shape: number[]): HostTensor {
  const host = randomHost(rng, shape);
  for (let i = 0; i < host.values.length; i += 5) host.values[i] = EDGE[rng.int(EDGE.length)];
  return host;
}

const expectIdentical = expectIdenticalHost;

describe('MaxPool on wasm (non-overlapping windows by the SIMD kernel)', () => {
  it('equals cpu bit for bit: NaN never taken, ±∞, −0, channel tails, uncovered rows and columns', async () => {
    const rng = new SeededRandom(71);
    const before = heapSimdCalls().maxPool;
    let simd = 0;
    for (const [shape, size, stride, pad] of [
      [[32, 24, 24, 6], 2, 2, 'valid'], // LeNet-5 pool1
      [[32, 8, 8, 16], 2, 2, 'valid'], // pool2
      [[2, 7, 9, 5], 2, 2, 'valid'], // a row and a column no window covers; 4 + 1 channels
      [[1, 6, 6, 3], 3, 3, 'valid'],
      [[2, 9, 9, 4], 3, 2, 'valid'], // overlapping: tfjs's own kernel
      [[2, 7, 7, 4], 2, 2, 'same'], // padded: tfjs's own kernel
    ] as Array<[number[], number, number, 'valid' | 'same']>) {
      const x = edgy(rng, shape);
      x.values.fill(Number.NaN, 0, 2 * shape[3]);
      const attrs = { filterSize: size, strides: stride, pad } as never;
      const expected = await runKernelOn('cpu', 'MaxPool', { x }, attrs);
      const actual = await runKernelOn('wasm', 'MaxPool', { x }, attrs);
      const label = JSON.stringify({ shape, size, stride, pad });
      if (size === stride && pad === 'valid') {
        expectIdentical(actual, expected, label);
        simd++;
      } else {
        // tfjs-backend-wasm's XNNPACK pooling: same values where no NaN is involved.
        expect(actual.shape, label).toEqual(expected.shape);
      }
    }
    expect(heapSimdCalls().maxPool - before).toBe(simd);
  });
});

describe('Relu on wasm (SIMD on the calling thread for float32)', () => {
  it('equals cpu’s Math.max(0, x) bit for bit: NaN kept, −0 → +0, tails of 1–3', async () => {
    const rng = new SeededRandom(72);
    const before = heapSimdCalls().relu;
    for (const shape of [[32, 120], [32, 84], [32, 24, 24, 6], [3, 5], [1], [7]]) {
      const x = edgy(rng, shape);
      const expected = await runKernelOn('cpu', 'Relu', { x }, {});
      const actual = await runKernelOn('wasm', 'Relu', { x }, {});
      expectIdentical(actual, expected, `[${shape}]`);
    }
    expect(heapSimdCalls().relu - before).toBe(6);
  });

  it('takes large tensors too, leaves int32 to tfjs-backend-wasm’s kernel, and its gradient still flows', async () => {
    await tf.setBackend('wasm');
    const before = heapSimdCalls().relu;
    const big = tf.ones([262_145]);
    const out = tf.relu(big);
    expect(heapSimdCalls().relu).toBe(before + 1);
    expect(out.dataSync()[262_144]).toBe(1);
    const ints = tf.tensor1d([-3, 4], 'int32');
    const intOut = tf.relu(ints);
    expect(heapSimdCalls().relu).toBe(before + 1);
    expect(Array.from(intOut.dataSync())).toEqual([0, 4]);
    tf.dispose([out, ints, intOut]);
    const input = tf.tensor1d([-1, 0.5, 2]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.relu(v)))(input);
    expect(Array.from(g.dataSync())).toEqual([0, 1, 1]);
    tf.dispose([big, input, g]);
  });
});
