import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { GaussianSmoothing } from '../layer/gaussian-smoothing';
import { SMOOTHING_PADDINGS } from '../options/smoothing-options';
import { centralDifferences, maxRelativeError } from '../testing/finite-differences';
import { gaussianSmooth } from './gaussian-smooth';

// 3 channels: the fused wasm kernel's scalar loop; 8: its SIMD code
const SHAPES: Array<[number, number, number, number]> = [
  [2, 9, 7, 3],
  [2, 6, 5, 8],
];
const hostData = (shape: number[], seed: number) =>
  Float32Array.from(new SeededRandom(seed).normalArray(shape.reduce((a, b) => a * b, 1)));

/** Runs `fn` on `backend` and returns its results as plain arrays. */
async function on(backend: BackendName, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend({ backend, log: () => {} });
  const outputs = fn();
  const arrays = outputs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outputs);
  return arrays;
}

/** y = smooth(x), ∂Σ w·y²/∂x, and for a trainable layer ∂Σ w·y²/∂ log σ. */
function smoothAndGradients(
  shape: [number, number, number, number],
  padding: (typeof SMOOTHING_PADDINGS)[number],
): tf.Tensor[] {
  const x = tf.tensor4d(hostData(shape, 11), shape);
  const w = tf.tensor4d(hostData(shape, 12), shape);
  const loss = (v: tf.Tensor) =>
    tf.sum(tf.mul(w, tf.square(gaussianSmooth(v as tf.Tensor4D, 1.2, 5, padding))));
  const y = gaussianSmooth(x, 1.2, 5, padding);
  const dx = tf.grad(loss)(x);
  const layer = new GaussianSmoothing({ sigma: 1.2, padding, trainableSigma: true });
  layer.apply(x);
  const logSigma = layer.trainableWeights[0].read() as tf.Variable;
  const { grads, value } = tf.variableGrads(
    () => tf.sum(tf.mul(w, tf.square(layer.apply(x) as tf.Tensor))) as tf.Scalar,
    [logSigma],
  );
  const dLogSigma = grads[logSigma.name];
  tf.dispose([x, w, value]);
  layer.dispose();
  return [y, dx, dLogSigma];
}

describe('wasm and cpu agree', () => {
  it('forward, input gradient and log σ gradient, for every padding and channel count', async () => {
    for (const shape of SHAPES) {
      for (const padding of SMOOTHING_PADDINGS) {
        const cpu = await on('cpu', () => smoothAndGradients(shape, padding));
        const wasm = await on('wasm', () => smoothAndGradients(shape, padding));
        const what = `${padding} [${shape}]`;
        expect(maxRelativeError(wasm[0], cpu[0]), `${what} forward`).toBeLessThan(1e-5);
        expect(maxRelativeError(wasm[1], cpu[1]), `${what} input gradient`).toBeLessThan(1e-4);
        expect(maxRelativeError(wasm[2], cpu[2]), `${what} log σ gradient`).toBeLessThan(1e-4);
      }
    }
  });

  it('a fixed σ runs on wasm as the one fused core-tensor kernel, forward and backward', async () => {
    await initBackend({ backend: 'wasm', log: () => {} });
    const x = tf.tensor4d(hostData(SHAPES[1], 1), SHAPES[1]);
    const { kernels } = await tf.profile(() =>
      tf.grad((v: tf.Tensor) => tf.sum(gaussianSmooth(v as tf.Tensor4D, 1, 5, 'reflect')))(x),
    );
    const names = kernels.map((k) => k.name);
    expect(names.filter((n) => n === 'TrustgradBandedSeparableFilter')).toHaveLength(2);
    expect(names).not.toContain('DepthwiseConv2dNative');
    x.dispose();
  });

  it('the wasm input gradient matches central finite differences', async () => {
    await initBackend({ backend: 'wasm', log: () => {} });
    for (const shape of SHAPES) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = hostData(shape, 11);
      const w = tf.tensor4d(hostData(shape, 12), shape);
      const loss = (v: tf.Tensor) =>
        tf.sum(tf.mul(w, tf.square(gaussianSmooth(v as tf.Tensor4D, 0.8, 3, 'reflect'))));
      const x = tf.tensor4d(values, shape);
      const g = tf.grad(loss)(x);
      const lossAt = (v: Float32Array) => tf.tidy(() => loss(tf.tensor4d(v, shape))).dataSync()[0];
      const coordinates = Array.from({ length: 40 }, (_, k) => (k * 37) % size);
      const fd = centralDifferences(lossAt, values, 1e-2, coordinates);
      const analytic = coordinates.map((k) => g.dataSync()[k]);
      expect(maxRelativeError(analytic, fd), `[${shape}]`).toBeLessThan(3e-3);
      tf.dispose([w, x, g]);
    }
  });
});
