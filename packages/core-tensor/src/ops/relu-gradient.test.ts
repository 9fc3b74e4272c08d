import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { heapSimdCalls } from '../kernels/wasm/heap-simd';
import { SeededRandom } from '../random/seeded-random';
import { reluGradient } from './relu-gradient';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** dy and x with every edge value against every other, plus random values (an odd length for the scalar tail). */
function edgeInputs(): { dy: Float32Array; x: Float32Array } {
  const specials = [0, -0, 1, -2.5, 3e-39, -3e-39, 1e38, Number.NaN, Infinity, -Infinity];
  const dy: number[] = [];
  const x: number[] = [];
  for (const a of specials) {
    for (const b of specials) {
      dy.push(a);
      x.push(b);
    }
  }
  const rng = new SeededRandom(41);
  const extra = rng.normalArray(1003);
  for (let i = 0; i < extra.length; i += 2) {
    dy.push(extra[i]);
    x.push(extra[i + 1] ?? 0);
  }
  return { dy: Float32Array.from(dy), x: Float32Array.from(x) };
}

describe('reluGradient (TrustgradReluGradient)', () => {
  it("equals tfjs's mul(dy, cast(step(x))) on cpu bit for bit, on cpu and on wasm", async () => {
    const { dy, x } = edgeInputs();
    await tf.setBackend('cpu');
    const reference = tf.tidy(() =>
      tf.mul(tf.tensor(dy), tf.cast(tf.step(tf.tensor(x)), 'float32')).dataSync(),
    );
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const simdBefore = heapSimdCalls().reluGradient;
      const [d, v] = [tf.tensor(dy), tf.tensor(x)];
      const before = tf.memory().numTensors;
      const out = reluGradient(d, v);
      expect(tf.memory().numTensors).toBe(before + 1);
      const values = out.dataSync();
      for (let i = 0; i < reference.length; i++) {
        expect(
          Object.is(values[i], reference[i]),
          `${backend} [${i}]: dy ${dy[i]}, x ${x[i]}`,
        ).toBe(true);
      }
      if (backend === 'wasm') expect(heapSimdCalls().reluGradient).toBe(simdBefore + 1);
      tf.dispose([d, v, out]);
    }
  });

  it("is relu's gradient under tf.grad, NaN inputs giving NaN as on cpu", async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, -1, 0, Number.NaN, 2, -0, 3, -4], [1, 2, 2, 2]);
    const dy = tf.tensor4d([5, 6, 7, 8, -9, -10, 11, 12], [1, 2, 2, 2]);
    const grad = tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy);
    expect(Array.from(grad.dataSync())).toEqual([5, 0, 0, Number.NaN, -9, -0, 11, 0]);
    tf.dispose([x, dy, grad]);
  });
});
