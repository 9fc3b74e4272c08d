import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import { heapAddress, heapSimd } from './heap-simd';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** A value no kernel writes: where the kernels must leave the destination alone. */
const SENTINEL = -12345.5;

/**
 * The planar kernels' layout changes, `toPlanes` (NHWC → zero-bordered channel
 * planes) and `fromPlanes` (planes → NHWC), against a loop over the index formulas:
 * widths on both sides of the 4-pixel blocks (1–9), channel counts 1–7 and 16,
 * offsets into the planes, and the entries outside the target left untouched.
 */
describe('toPlanes / fromPlanes', () => {
  const shapes: Array<[number, number, number, number]> = [];
  for (const W of [1, 3, 4, 5, 8, 9])
    for (const C of [1, 2, 3, 5, 6, 7, 16]) shapes.push([2, 3, W, C]);
  shapes.push([3, 24, 24, 6], [2, 28, 28, 1], [2, 8, 8, 16]);

  it('toPlanes writes dst[n, c, top + h, left + w] = src[n, h, w, c] and nothing else', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const kernels = heapSimd(backend);
    expect(kernels).not.toBeNull();
    const rng = new SeededRandom(41);
    for (const [N, H, W, C] of shapes) {
      const [top, left] = [2, 3];
      const [Hp, Wp] = [H + top + 1, W + left + 2];
      const values = rng.normalArray(N * H * W * C);
      const src = tf.tensor(values);
      const dst = tf.fill([N * C * Hp * Wp], SENTINEL);
      const at = (t: tf.Tensor) => heapAddress(backend, t.dataId);
      kernels?.toPlanes(at(src), at(dst), N, H, W, C, Hp, Wp, top, left);
      const expected = new Float32Array(N * C * Hp * Wp).fill(SENTINEL);
      for (let n = 0; n < N; n++)
        for (let h = 0; h < H; h++)
          for (let w = 0; w < W; w++)
            for (let c = 0; c < C; c++) {
              const to = ((n * C + c) * Hp + top + h) * Wp + left + w;
              expected[to] = values[((n * H + h) * W + w) * C + c];
            }
      expect(Array.from(dst.dataSync()), `[${N},${H},${W},${C}]`).toEqual(Array.from(expected));
      tf.dispose([src, dst]);
    }
  });

  it('fromPlanes writes dst[n, h, w, c] = src[n, c, h, w] from rows of Wq floats, and nothing past it', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const kernels = heapSimd(backend);
    const rng = new SeededRandom(42);
    for (const [N, H, W, C] of shapes) {
      const Wq = Math.ceil(W / 4) * 4;
      const values = rng.normalArray(N * C * H * Wq);
      const src = tf.tensor(values);
      // One float past the output: a kernel writing beyond it overwrites the sentinel.
      const dst = tf.fill([N * H * W * C + 1], SENTINEL);
      const at = (t: tf.Tensor) => heapAddress(backend, t.dataId);
      kernels?.fromPlanes(at(src), at(dst), N, H, W, C, Wq);
      const expected = new Float32Array(N * H * W * C + 1).fill(SENTINEL);
      for (let n = 0; n < N; n++)
        for (let h = 0; h < H; h++)
          for (let w = 0; w < W; w++)
            for (let c = 0; c < C; c++) {
              expected[((n * H + h) * W + w) * C + c] = values[((n * C + c) * H + h) * Wq + w];
            }
      expect(Array.from(dst.dataSync()), `[${N},${H},${W},${C}]`).toEqual(Array.from(expected));
      tf.dispose([src, dst]);
    }
  });
});
