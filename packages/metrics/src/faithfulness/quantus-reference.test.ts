import * as tf from '@tensorflow/tfjs-core';
import { initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { completeness } from '../axiomatic/completeness';
import { complexity } from '../complexity/complexity-entropy';
import type { ModelLike } from '../model/model-like';
import { hasNumpy, runPythonReference } from '../testing/python-reference';
import { monotonicity } from './monotonicity';
import { monotonicityCorrelation } from './monotonicity-correlation';
import { pixelFlipping } from './pixel-flipping';
import { sufficiency } from './sufficiency';

await initBackend({ backend: 'cpu', log: () => {} });

// 6 samples of 3×3×1 (d = 9), a ReLU MLP 9 → 5 → 3, random fixed arrays without ties.
const rng = new SeededRandom(41);
const [n, d, m, k] = [6, 9, 5, 3];
const draw = (size: number, scale = 1) => Array.from(rng.normalArray(size, 0, scale));
const arrays = {
  x: Array.from(rng.uniformArray(n * d)),
  a: draw(n * d),
  W1: draw(d * m),
  b1: draw(m, 0.3),
  W2: draw(m * k),
  b2: draw(k, 0.3),
  y: [0, 1, 2, 2, 1, 0],
};
const rows = (v: number[], r: number, c: number) =>
  Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c));
const W1 = tf.tensor2d(arrays.W1, [d, m]);
const b1 = tf.tensor1d(arrays.b1);
const W2 = tf.tensor2d(arrays.W2, [m, k]);
const b2 = tf.tensor1d(arrays.b2);
const mlp: ModelLike = (input) =>
  tf.tidy(() =>
    tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.reshape(input, [-1, d]), W1), b1)), W2), b2),
  );
const x = tf.tensor4d(arrays.x, [n, 3, 3, 1]);
const explanations = tf.tensor4d(arrays.a, [n, 3, 3, 1]);
const y = tf.tensor1d(arrays.y, 'int32');
afterAll(() => tf.dispose([W1, b1, W2, b2, x, explanations, y]));

/** What quantus_faithfulness_reference.py prints: per-sample values, and curves per sample. */
type Reference = Record<
  | 'pixelFlipping'
  | 'monotonicity'
  | 'monotonicityCorrelation'
  | 'complexity'
  | 'completenessGap'
  | 'sufficiency',
  number[]
> & { pixelFlippingCurves: number[][]; monotonicityCurves: number[][] };

describe.skipIf(!hasNumpy)('Quantus-family metrics against an independent NumPy reference', () => {
  const threshold = 3.5;
  const want = hasNumpy
    ? runPythonReference<Reference>('quantus_faithfulness_reference.py', {
        x: rows(arrays.x, n, d),
        a: rows(arrays.a, n, d),
        W1: rows(arrays.W1, d, m),
        b1: arrays.b1,
        W2: rows(arrays.W2, m, k),
        b2: arrays.b2,
        y: arrays.y,
        threshold,
      })
    : ({} as Reference);
  // batchSize 4 splits the 9·6 flipped images and the 6 samples across chunks.
  const ctx = { model: mlp, x, y, explanations, batchSize: 4 };
  const close = (got: number[], expected: number[]) =>
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));

  it('pixelFlipping, monotonicity, monotonicityCorrelation (black baseline)', async () => {
    const flipped = await pixelFlipping.evaluate(ctx);
    close(flipped.values, want.pixelFlipping);
    (flipped.extra!.curves as number[][]).forEach((c, i) => close(c, want.pixelFlippingCurves[i]));
    const mono = await monotonicity.evaluate(ctx);
    expect(mono.values).toEqual(want.monotonicity);
    (mono.extra!.curves as number[][]).forEach((c, i) => close(c, want.monotonicityCurves[i]));
    close(
      (await monotonicityCorrelation.evaluate(ctx, { baseline: 'black' })).values,
      want.monotonicityCorrelation,
    );
  });

  it('complexity, completeness gaps, sufficiency (standardised Euclidean)', async () => {
    close((await complexity.evaluate(ctx)).values, want.complexity);
    const gaps = (await completeness.evaluate(ctx, { normalise: false })).extra!.gaps as number[];
    close(gaps, want.completenessGap);
    const s = await sufficiency.evaluate(ctx, { threshold });
    expect(s.values).toEqual(want.sufficiency);
    // The threshold is chosen so that some, not all, pairs are neighbours.
    expect(new Set(s.values).size).toBeGreaterThan(1);
  });
});
