import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
// Through the package entry, as users import it (it also registers tfjs's gradients).
import {
  type AxisOperator,
  assertNoLeaks,
  axisOperatorFromMatrix,
  axisOperatorMatrix,
  bandedSeparableFilter,
  hasFastBandedSeparableFilter,
  initBackend,
  SeededRandom,
  transposeAxisOperator,
} from '../index';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** A random banded matrix: `band` taps around the diagonal, plus one far entry in some rows (as reflect borders make). */
function randomOperator(rng: SeededRandom, size: number, band: number): AxisOperator {
  const matrix = Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j) => (Math.abs(i - j) <= band ? rng.normal() : 0)),
  );
  matrix[0][size - 1] += 0.5;
  return axisOperatorFromMatrix(matrix);
}

/** `y = A_rows · X · A_colsᵀ` per batch and channel, in float64 loops. */
function reference(
  x: Float32Array,
  shape: number[],
  rows: AxisOperator,
  cols: AxisOperator,
): Float64Array {
  const [batch, height, width, channels] = shape;
  const [a, b] = [axisOperatorMatrix(rows), axisOperatorMatrix(cols)];
  const y = new Float64Array(x.length);
  for (let n = 0; n < batch; n++)
    for (let h = 0; h < height; h++)
      for (let w = 0; w < width; w++)
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let i = 0; i < height; i++)
            for (let j = 0; j < width; j++)
              sum += a[h][i] * b[w][j] * x[((n * height + i) * width + j) * channels + c];
          y[((n * height + h) * width + w) * channels + c] = sum;
        }
  return y;
}

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

const SHAPES: Array<[number, number, number, number]> = [
  [2, 7, 6, 3], // channels not a multiple of 4: the scalar path
  [1, 5, 9, 4],
  [2, 6, 5, 20], // 16 + 4 channels: both SIMD widths
  [3, 11, 8, 32],
];

describe('axis operators', () => {
  it('keep a dense matrix exactly, and transpose it', () => {
    const m = [
      [1, 2, 0],
      [0, 0, 3],
      [4, 0, 5],
    ];
    const op = axisOperatorFromMatrix(m);
    expect(op.taps).toBe(2);
    expect(axisOperatorMatrix(op)).toEqual(m);
    expect(axisOperatorMatrix(transposeAxisOperator(op))).toEqual([
      [1, 0, 4],
      [2, 0, 0],
      [0, 3, 5],
    ]);
  });

  it('reject a non-square or non-finite matrix with what is wrong', () => {
    expect(() => axisOperatorFromMatrix([[1, 2]])).toThrow(
      /square: row 0 has 2 entries, expected 1/,
    );
    expect(() => axisOperatorFromMatrix([[Number.NaN]])).toThrow(/non-finite entry in row 0/);
  });
});

describe('bandedSeparableFilter', () => {
  it('runs as the fused kernel on wasm and from plain ops on cpu', async () => {
    expect(hasFastBandedSeparableFilter()).toBe(true);
    await tf.setBackend('cpu');
    expect(hasFastBandedSeparableFilter()).toBe(false);
    await tf.setBackend('wasm');
  });

  for (const backend of ['wasm', 'cpu']) {
    it(`matches the dense float64 sum on ${backend}, forward and backward (the transposed operators)`, async () => {
      await tf.setBackend(backend);
      const rng = new SeededRandom(11);
      for (const shape of SHAPES) {
        const size = shape.reduce((a, b) => a * b, 1);
        const values = Float32Array.from(rng.normalArray(size));
        const upstream = Float32Array.from(rng.normalArray(size));
        const rows = randomOperator(rng, shape[1], 1 + rng.int(3));
        const cols = randomOperator(rng, shape[2], 1 + rng.int(3));
        const x = tf.tensor4d(values, shape);
        const dy = tf.tensor4d(upstream, shape);
        const y = bandedSeparableFilter(x, rows, cols);
        expect(y.shape).toEqual(shape);
        expect(maxRelativeError(y.dataSync(), reference(values, shape, rows, cols))).toBeLessThan(
          1e-5,
        );
        // ∂ Σ dy ⊙ A(x) / ∂x = Aᵀ dy
        const gx = tf.grad((v: tf.Tensor) =>
          tf.sum(tf.mul(dy, bandedSeparableFilter(v as tf.Tensor4D, rows, cols))),
        )(x);
        const expected = reference(
          upstream,
          shape,
          transposeAxisOperator(rows),
          transposeAxisOperator(cols),
        );
        expect(maxRelativeError(gx.dataSync(), expected), `[${shape}]`).toBeLessThan(1e-5);
        tf.dispose([x, dy, y, gx]);
      }
      await tf.setBackend('wasm');
    });
  }

  it('leaks no tensors or wasm buffers, forward or backward', async () => {
    const rng = new SeededRandom(3);
    const rows = randomOperator(rng, 8, 2);
    const cols = randomOperator(rng, 8, 2);
    const x = tf.randomNormal([2, 8, 8, 8]) as tf.Tensor4D;
    const buffers = tf.backend().numDataIds();
    await assertNoLeaks(() => bandedSeparableFilter(x, rows, cols), 'forward');
    await assertNoLeaks(
      () =>
        tf.grad((v: tf.Tensor) => tf.sum(bandedSeparableFilter(v as tf.Tensor4D, rows, cols)))(x),
      'backward',
    );
    expect(tf.backend().numDataIds()).toBe(buffers);
    x.dispose();
  });

  it('gives zeros for an operator without taps (the zero operator), on the SIMD kernel too', () => {
    const rng = new SeededRandom(5);
    const none: AxisOperator = {
      size: 6,
      taps: 0,
      index: new Int32Array(0),
      weight: new Float32Array(0),
    };
    // 8 channels: the SIMD kernel; 3: the JavaScript loops.
    for (const channels of [8, 3]) {
      const x = tf.randomNormal([2, 6, 5, channels], 0, 1, 'float32', 7) as tf.Tensor4D;
      for (const [rows, cols] of [
        [none, randomOperator(rng, 5, 2)],
        [randomOperator(rng, 6, 2), { ...none, size: 5 }],
      ]) {
        const y = bandedSeparableFilter(x, rows, cols);
        expect(
          Array.from(y.dataSync()).every((v) => v === 0),
          `C = ${channels}`,
        ).toBe(true);
        y.dispose();
      }
      x.dispose();
    }
  });

  it('rejects operators that do not fit the feature map', () => {
    const rng = new SeededRandom(4);
    const x = tf.zeros([1, 6, 5, 4]) as tf.Tensor4D;
    expect(() =>
      bandedSeparableFilter(x, randomOperator(rng, 5, 1), randomOperator(rng, 5, 1)),
    ).toThrow(/sizes 5×5 do not fit a 6×5 feature map/);
    x.dispose();
  });

  it('runs a heap-simd module assembled from the current heap-simd.wat', () => {
    const script = join(
      dirname(fileURLToPath(import.meta.url)),
      '../../scripts/assemble-heap-simd.mjs',
    );
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toMatch(
      /up to date/,
    );
  });
});
