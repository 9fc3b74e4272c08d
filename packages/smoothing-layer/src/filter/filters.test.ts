import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeaks, type BackendName, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SmoothingPadding } from '../options/smoothing-options';
import { centralDifferences, maxRelativeError } from '../testing/finite-differences';
import { boxFilter } from './box-filter';
import { medianFilter } from './median-filter';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const hostData = (shape: number[], seed: number) =>
  Float32Array.from(new SeededRandom(seed).normalArray(shape.reduce((a, b) => a * b, 1)));

// x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]; reflect-padded it reads
// 5 4 5 6 5 / 2 1 2 3 2 / 5 4 5 6 5 / 8 7 8 9 8 / 5 4 5 6 5, zero-padded it has a ring of 0s.
const nine = () => tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
const HAND: Record<'mean' | 'median', Partial<Record<SmoothingPadding, number[]>>> = {
  // window sums / 9: top-left {5,4,5,2,1,2,5,4,5} = 33, centre 1+…+9 = 45, …
  mean: {
    reflect: [33, 36, 39, 42, 45, 48, 51, 54, 57].map((s) => s / 9),
    same: [12, 21, 16, 27, 45, 33, 24, 39, 28].map((s) => s / 9),
  },
  // top-left reflect {1,2,2,4,4,5,5,5,5} → 4; zero-padded {0,0,0,0,0,1,2,4,5} → 0
  median: {
    reflect: [4, 4, 5, 5, 5, 5, 5, 6, 6],
    same: [0, 2, 0, 2, 5, 3, 0, 5, 0],
  },
};

describe('boxFilter (mean) and medianFilter', () => {
  it('match the hand-computed 3×3 example, reflect and zero borders', () => {
    for (const padding of ['reflect', 'same'] as const) {
      const x = nine();
      const mean = boxFilter(x, 3, padding);
      const median = medianFilter(x, 3, padding);
      const meanValues = Array.from(mean.dataSync());
      (HAND.mean[padding] as number[]).forEach((v, i) => expect(meanValues[i]).toBeCloseTo(v, 5));
      expect(Array.from(median.dataSync())).toEqual(HAND.median[padding]);
      tf.dispose([x, mean, median]);
    }
  });

  it('keep the shape, work per channel and keep a constant map constant (reflect, replicate)', () => {
    const x = tf.tensor4d(hostData([2, 6, 5, 3], 1), [2, 6, 5, 3]);
    const channel1 = tf.slice(x, [0, 0, 0, 1], [2, 6, 5, 1]);
    for (const filter of [boxFilter, medianFilter]) {
      const all = filter(x, 3, 'reflect');
      const one = filter(channel1, 3, 'reflect');
      expect(all.shape).toEqual([2, 6, 5, 3]);
      const picked = tf.slice(all, [0, 0, 0, 1], [2, 6, 5, 1]);
      expect(maxRelativeError(picked.dataSync(), one.dataSync())).toBeLessThan(1e-6);
      for (const padding of ['reflect', 'replicate'] as const) {
        const c = tf.fill([1, 5, 4, 2], 1.75) as tf.Tensor4D;
        const y = filter(c, 3, padding);
        expect(Math.max(...Array.from(y.dataSync()).map((v) => Math.abs(v - 1.75)))).toBeLessThan(
          1e-6,
        );
        tf.dispose([c, y]);
      }
      tf.dispose([all, one, picked]);
    }
    tf.dispose([x, channel1]);
  });

  it('3×3 and 5×5 medians equal a loop-by-loop median of the reflect-padded window, ties included', () => {
    const shape: [number, number, number, number] = [1, 7, 6, 2];
    const normal = hostData(shape, 2);
    const ties = Float32Array.from(new SeededRandom(9).uniformArray(normal.length), (u) =>
      Math.floor(u * 4),
    );
    const mirror = (p: number, n: number) => (p < 0 ? -p : p >= n ? 2 * (n - 1) - p : p);
    for (const values of [normal, ties]) {
      for (const k of [3, 5]) {
        const r = (k - 1) / 2;
        const y = medianFilter(tf.tensor4d(values, shape), k, 'reflect').dataSync();
        for (let h = 0; h < 7; h++) {
          for (let w = 0; w < 6; w++) {
            for (let c = 0; c < 2; c++) {
              const window: number[] = [];
              for (let i = -r; i <= r; i++) {
                for (let j = -r; j <= r; j++) {
                  window.push(values[(mirror(h + i, 7) * 6 + mirror(w + j, 6)) * 2 + c]);
                }
              }
              window.sort((a, b) => a - b);
              expect(y[(h * 6 + w) * 2 + c]).toBe(window[(k * k - 1) / 2]);
            }
          }
        }
      }
    }
  });

  it('median with many ties (a ReLU map) still sends each output’s gradient to exactly one element', () => {
    const shape: [number, number, number, number] = [1, 6, 6, 2];
    const relu = Float32Array.from(hostData(shape, 10), (v) => Math.max(0, v));
    for (const k of [3, 5]) {
      const g = tf.grad((v: tf.Tensor) => tf.sum(medianFilter(v as tf.Tensor4D, k, 'reflect')))(
        tf.tensor4d(relu, shape),
      );
      const counts = Array.from(g.dataSync());
      expect(counts.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(6 * 6 * 2);
      g.dispose();
    }
  });

  it('median: the gradient goes to the selected element only (one per output), and matches finite differences', () => {
    const shape: [number, number, number, number] = [1, 5, 6, 2];
    // distinct values 0.05 apart (ranks of normals): a finite-difference step never reorders a window
    const raw = hostData(shape, 3);
    const order = Array.from(raw.keys()).sort((a, b) => raw[a] - raw[b]);
    const values = new Float32Array(raw.length);
    order.forEach((k, rank) => {
      values[k] = (rank - raw.length / 2) * 0.05;
    });
    const x = tf.tensor4d(values, shape);
    // Σ median: every output sends 1 to the element it picked (reflect: all picks are real pixels)
    const ones = tf.grad((v: tf.Tensor) => tf.sum(medianFilter(v as tf.Tensor4D, 3, 'reflect')))(x);
    const counts = Array.from(ones.dataSync());
    expect(counts.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5 * 6 * 2);
    for (const padding of ['reflect', 'same'] as const) {
      const w = tf.tensor4d(hostData(shape, 4), shape);
      const loss = (v: tf.Tensor) =>
        tf.sum(tf.mul(w, tf.square(medianFilter(v as tf.Tensor4D, 3, padding))));
      const g = tf.grad(loss)(x).dataSync();
      const lossAt = (v: Float32Array) => tf.tidy(() => loss(tf.tensor4d(v, shape))).dataSync()[0];
      const fd = centralDifferences(lossAt, values, 1e-3);
      expect(maxRelativeError(Array.from(g), fd), padding).toBeLessThan(2e-2);
      w.dispose();
    }
    tf.dispose([x, ones]);
  });

  it('mean: the input gradient matches finite differences for every padding', () => {
    const shape: [number, number, number, number] = [1, 5, 4, 2];
    const values = hostData(shape, 5);
    const w = tf.tensor4d(hostData(shape, 6), shape);
    for (const padding of ['reflect', 'same', 'replicate'] as const) {
      const loss = (v: tf.Tensor) =>
        tf.sum(tf.mul(w, tf.square(boxFilter(v as tf.Tensor4D, 3, padding))));
      const x = tf.tensor4d(values, shape);
      const g = tf.grad(loss)(x).dataSync();
      const lossAt = (v: Float32Array) => tf.tidy(() => loss(tf.tensor4d(v, shape))).dataSync()[0];
      const fd = centralDifferences(lossAt, values, 1e-2);
      expect(maxRelativeError(Array.from(g), fd), padding).toBeLessThan(3e-3);
      x.dispose();
    }
    w.dispose();
  });

  it('leak no tensors, forward and backward', async () => {
    const x = tf.tensor4d(hostData([2, 6, 6, 3], 7), [2, 6, 6, 3]);
    for (const filter of [boxFilter, medianFilter]) {
      // the first call fills the filter caches (kept on purpose), so measure the second
      tf.dispose(tf.grad((v: tf.Tensor) => tf.sum(filter(v as tf.Tensor4D, 3, 'reflect')))(x));
      await assertNoLeaks(() => filter(x, 3, 'reflect'), `${filter.name} forward`);
      await assertNoLeaks(
        () => tf.grad((v: tf.Tensor) => tf.sum(filter(v as tf.Tensor4D, 3, 'reflect')))(x),
        `${filter.name} backward`,
      );
    }
    x.dispose();
  });

  it('wasm and cpu agree on the forward and the input gradient', async () => {
    const shape: [number, number, number, number] = [2, 7, 6, 8];
    const run = async (backend: BackendName) => {
      await initBackend({ backend, log: () => {} });
      const x = tf.tensor4d(hostData(shape, 8), shape);
      const w = tf.tensor4d(hostData(shape, 9), shape);
      const out: Float32Array[] = [];
      for (const filter of [boxFilter, medianFilter]) {
        for (const padding of ['reflect', 'same', 'replicate'] as const) {
          const loss = (v: tf.Tensor) =>
            tf.sum(tf.mul(w, tf.square(filter(v as tf.Tensor4D, 3, padding))));
          const y = filter(x, 3, padding);
          const g = tf.grad(loss)(x);
          out.push(Float32Array.from(y.dataSync()), Float32Array.from(g.dataSync()));
          tf.dispose([y, g]);
        }
      }
      tf.dispose([x, w]);
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    await initBackend({ backend: 'cpu', log: () => {} });
    cpu.forEach((c, i) => expect(maxRelativeError(wasm[i], c), `array ${i}`).toBeLessThan(1e-5));
  });
});
